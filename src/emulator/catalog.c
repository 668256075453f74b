/*
 * emulator/catalog.c - the emulator's Bedrock model catalogue: foundation models and the
 * system-defined cross-region inference profiles that route to them.
 *
 * Invariants: the tables are static and immutable; every profile's model_id names a model in
 * the model table; a model whose inference_types is "INFERENCE_PROFILE" is only callable via a
 * profile; a profile's dest_regions "*" means global (any commercial region). Region lists are
 * comma lists without spaces. Ids and regions follow AWS's published model and profile tables.
 */
#include "emulator/emu.h"

#include <string.h>

#define R_EU "eu-central-1,eu-west-1,eu-west-3,eu-north-1,eu-south-1,eu-south-2"
#define R_US "us-east-1,us-east-2,us-west-2"
#define R_APAC                                                            \
    "ap-northeast-1,ap-northeast-2,ap-northeast-3,ap-south-1,ap-south-2," \
    "ap-southeast-1,ap-southeast-2,ap-southeast-4"
#define R_ALL R_US "," R_EU "," R_APAC ",ca-central-1,sa-east-1"

/* clang-format off */
static const struct emu_model g_models[] = {
    {"anthropic.claude-3-haiku-20240307-v1:0", "Claude 3 Haiku", "Anthropic", "TEXT,IMAGE",
     "TEXT", true, "ON_DEMAND", "ACTIVE",
     "us-east-1,us-west-2,eu-central-1,eu-west-1,eu-west-3,ap-northeast-1,ap-northeast-2,"
     "ap-south-1,ap-southeast-1,ap-southeast-2,ca-central-1,sa-east-1", "anthropic", ""},
    {"anthropic.claude-3-sonnet-20240229-v1:0", "Claude 3 Sonnet", "Anthropic", "TEXT,IMAGE",
     "TEXT", true, "ON_DEMAND", "LEGACY",
     "us-east-1,us-west-2,eu-central-1,eu-west-1,eu-west-3,ap-south-1,ap-southeast-2,"
     "ca-central-1,sa-east-1", "anthropic", ""},
    {"anthropic.claude-3-5-sonnet-20240620-v1:0", "Claude 3.5 Sonnet", "Anthropic",
     "TEXT,IMAGE", "TEXT", true, "ON_DEMAND", "ACTIVE",
     "us-east-1,us-west-2,eu-central-1,eu-west-1,eu-west-3,ap-northeast-1,ap-northeast-2,"
     "ap-southeast-1,ap-southeast-2,ap-south-1", "anthropic", ""},
    {"anthropic.claude-3-5-sonnet-20241022-v2:0", "Claude 3.5 Sonnet v2", "Anthropic",
     "TEXT,IMAGE", "TEXT", true, "INFERENCE_PROFILE", "ACTIVE", R_ALL, "anthropic", ""},
    {"anthropic.claude-3-7-sonnet-20250219-v1:0", "Claude 3.7 Sonnet", "Anthropic",
     "TEXT,IMAGE", "TEXT", true, "INFERENCE_PROFILE", "ACTIVE", R_ALL, "anthropic", ""},
    {"anthropic.claude-sonnet-4-20250514-v1:0", "Claude Sonnet 4", "Anthropic", "TEXT,IMAGE",
     "TEXT", true, "INFERENCE_PROFILE", "ACTIVE", R_ALL, "anthropic", ""},
    {"anthropic.claude-sonnet-4-5-20250929-v1:0", "Claude Sonnet 4.5", "Anthropic",
     "TEXT,IMAGE", "TEXT", true, "INFERENCE_PROFILE", "ACTIVE", R_ALL, "anthropic", ""},
    {"anthropic.claude-haiku-4-5-20251001-v1:0", "Claude Haiku 4.5", "Anthropic", "TEXT,IMAGE",
     "TEXT", true, "INFERENCE_PROFILE", "ACTIVE", R_ALL, "anthropic", ""},
    {"anthropic.claude-opus-4-1-20250805-v1:0", "Claude Opus 4.1", "Anthropic", "TEXT,IMAGE",
     "TEXT", true, "INFERENCE_PROFILE", "ACTIVE", R_US, "anthropic", ""},
    {"amazon.titan-text-express-v1", "Titan Text G1 - Express", "Amazon", "TEXT", "TEXT", true,
     "ON_DEMAND", "ACTIVE", "us-east-1,us-west-2,eu-central-1,eu-west-1,eu-west-2,eu-west-3,"
     "ap-northeast-1,ap-south-1,ap-southeast-2,ca-central-1,sa-east-1", "titan",
     "FINE_TUNING,CONTINUED_PRE_TRAINING"},
    {"amazon.nova-micro-v1:0", "Nova Micro", "Amazon", "TEXT", "TEXT", true,
     "ON_DEMAND,INFERENCE_PROFILE", "ACTIVE", "us-east-1,us-west-2,eu-central-1,eu-west-1,"
     "eu-west-3,eu-north-1,ap-northeast-1,ap-southeast-2", "nova", "FINE_TUNING,DISTILLATION"},
    {"amazon.nova-lite-v1:0", "Nova Lite", "Amazon", "TEXT,IMAGE,VIDEO", "TEXT", true,
     "ON_DEMAND,INFERENCE_PROFILE", "ACTIVE", "us-east-1,us-west-2,eu-central-1,eu-west-1,"
     "eu-west-3,eu-north-1,ap-northeast-1,ap-southeast-2", "nova", "FINE_TUNING,DISTILLATION"},
    {"amazon.titan-embed-text-v2:0", "Titan Text Embeddings V2", "Amazon", "TEXT", "EMBEDDING",
     false, "ON_DEMAND", "ACTIVE", "us-east-1,us-east-2,us-west-2,eu-central-1,eu-west-1,"
     "eu-west-2,eu-west-3,eu-north-1,ap-northeast-1,ap-south-1,ap-southeast-2,ca-central-1,"
     "sa-east-1", "titan-embed", ""},
    {"meta.llama3-8b-instruct-v1:0", "Llama 3 8B Instruct", "Meta", "TEXT", "TEXT", true,
     "ON_DEMAND", "ACTIVE", "us-east-1,us-west-2,eu-west-2,ap-south-1,ca-central-1", "llama",
     ""},
    {"mistral.mistral-large-2402-v1:0", "Mistral Large (24.02)", "Mistral AI", "TEXT", "TEXT",
     true, "ON_DEMAND", "ACTIVE", "us-east-1,us-west-2,eu-west-1,eu-west-3,ap-south-1,"
     "ap-southeast-2,ca-central-1", "mistral", ""},
    {"cohere.command-r-v1:0", "Command R", "Cohere", "TEXT", "TEXT", true, "ON_DEMAND",
     "ACTIVE", "us-east-1,us-west-2", "cohere", ""},
};

static const struct emu_profile g_profiles[] = {
    {"us.anthropic.claude-3-haiku-20240307-v1:0", "US Anthropic Claude 3 Haiku",
     "anthropic.claude-3-haiku-20240307-v1:0", "us-east-1,us-west-2", "us-east-1,us-west-2"},
    {"eu.anthropic.claude-3-haiku-20240307-v1:0", "EU Anthropic Claude 3 Haiku",
     "anthropic.claude-3-haiku-20240307-v1:0", "eu-central-1,eu-west-1,eu-west-3",
     "eu-central-1,eu-west-1,eu-west-3"},
    {"us.anthropic.claude-3-5-sonnet-20240620-v1:0", "US Anthropic Claude 3.5 Sonnet",
     "anthropic.claude-3-5-sonnet-20240620-v1:0", "us-east-1,us-west-2", "us-east-1,us-west-2"},
    {"eu.anthropic.claude-3-5-sonnet-20240620-v1:0", "EU Anthropic Claude 3.5 Sonnet",
     "anthropic.claude-3-5-sonnet-20240620-v1:0", "eu-central-1,eu-west-1,eu-west-3",
     "eu-central-1,eu-west-1,eu-west-3"},
    {"us.anthropic.claude-3-5-sonnet-20241022-v2:0", "US Anthropic Claude 3.5 Sonnet v2",
     "anthropic.claude-3-5-sonnet-20241022-v2:0", R_US, R_US},
    {"us.anthropic.claude-3-7-sonnet-20250219-v1:0", "US Anthropic Claude 3.7 Sonnet",
     "anthropic.claude-3-7-sonnet-20250219-v1:0", R_US, R_US},
    {"eu.anthropic.claude-3-7-sonnet-20250219-v1:0", "EU Anthropic Claude 3.7 Sonnet",
     "anthropic.claude-3-7-sonnet-20250219-v1:0", "eu-central-1,eu-west-1,eu-west-3,eu-north-1",
     "eu-central-1,eu-west-1,eu-west-3,eu-north-1"},
    {"us.anthropic.claude-sonnet-4-20250514-v1:0", "US Claude Sonnet 4",
     "anthropic.claude-sonnet-4-20250514-v1:0", R_US, R_US},
    {"eu.anthropic.claude-sonnet-4-20250514-v1:0", "EU Claude Sonnet 4",
     "anthropic.claude-sonnet-4-20250514-v1:0", R_EU, R_EU},
    {"apac.anthropic.claude-sonnet-4-20250514-v1:0", "APAC Claude Sonnet 4",
     "anthropic.claude-sonnet-4-20250514-v1:0", R_APAC, R_APAC},
    {"global.anthropic.claude-sonnet-4-20250514-v1:0", "Global Claude Sonnet 4",
     "anthropic.claude-sonnet-4-20250514-v1:0", R_ALL, "*"},
    {"us.anthropic.claude-sonnet-4-5-20250929-v1:0", "US Anthropic Claude Sonnet 4.5",
     "anthropic.claude-sonnet-4-5-20250929-v1:0", R_US, R_US},
    {"eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "EU Anthropic Claude Sonnet 4.5",
     "anthropic.claude-sonnet-4-5-20250929-v1:0", R_EU, R_EU},
    {"global.anthropic.claude-sonnet-4-5-20250929-v1:0", "Global Anthropic Claude Sonnet 4.5",
     "anthropic.claude-sonnet-4-5-20250929-v1:0", R_ALL, "*"},
    {"us.anthropic.claude-haiku-4-5-20251001-v1:0", "US Anthropic Claude Haiku 4.5",
     "anthropic.claude-haiku-4-5-20251001-v1:0", R_US, R_US},
    {"eu.anthropic.claude-haiku-4-5-20251001-v1:0", "EU Anthropic Claude Haiku 4.5",
     "anthropic.claude-haiku-4-5-20251001-v1:0", R_EU, R_EU},
    {"global.anthropic.claude-haiku-4-5-20251001-v1:0", "Global Anthropic Claude Haiku 4.5",
     "anthropic.claude-haiku-4-5-20251001-v1:0", R_ALL, "*"},
    {"us.anthropic.claude-opus-4-1-20250805-v1:0", "US Anthropic Claude Opus 4.1",
     "anthropic.claude-opus-4-1-20250805-v1:0", R_US, R_US},
    {"us.amazon.nova-micro-v1:0", "US Nova Micro", "amazon.nova-micro-v1:0", R_US,
     "us-east-1,us-west-2"},
    {"eu.amazon.nova-micro-v1:0", "EU Nova Micro", "amazon.nova-micro-v1:0",
     "eu-central-1,eu-west-1,eu-west-3,eu-north-1",
     "eu-central-1,eu-west-1,eu-west-3,eu-north-1"},
    {"eu.amazon.nova-lite-v1:0", "EU Nova Lite", "amazon.nova-lite-v1:0",
     "eu-central-1,eu-west-1,eu-west-3,eu-north-1",
     "eu-central-1,eu-west-1,eu-west-3,eu-north-1"},
};
/* clang-format on */

const struct emu_model *emu_catalog_models(size_t *n)
{
    *n = sizeof(g_models) / sizeof(g_models[0]);
    return g_models;
}

const struct emu_profile *emu_catalog_profiles(size_t *n)
{
    *n = sizeof(g_profiles) / sizeof(g_profiles[0]);
    return g_profiles;
}

const struct emu_model *emu_catalog_find_model(const char *model_id)
{
    for (size_t i = 0; i < sizeof(g_models) / sizeof(g_models[0]); i++) {
        if (strcmp(g_models[i].model_id, model_id) == 0) {
            return &g_models[i];
        }
    }
    return NULL;
}

const struct emu_profile *emu_catalog_find_profile(const char *profile_id)
{
    for (size_t i = 0; i < sizeof(g_profiles) / sizeof(g_profiles[0]); i++) {
        if (strcmp(g_profiles[i].profile_id, profile_id) == 0) {
            return &g_profiles[i];
        }
    }
    return NULL;
}

bool emu_list_has(const char *list, const char *item)
{
    size_t ilen = strlen(item);
    const char *p = list;
    while (p != NULL && *p != '\0') {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        if ((len == 1 && p[0] == '*') || (len == ilen && memcmp(p, item, len) == 0)) {
            return true;
        }
        p = comma != NULL ? comma + 1 : NULL;
    }
    return false;
}

bool emu_model_in_region(const struct emu_model *m, const char *region)
{
    return emu_list_has(m->regions, region);
}
