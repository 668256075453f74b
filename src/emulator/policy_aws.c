/*
 * emulator/policy_aws.c - the AWS managed policies the emulator knows (seeded into the store at
 * arn:aws:iam::aws:policy/<Name>). Documents follow AWS's published default versions; only the
 * statements relevant offline are kept for AmazonBedrockFullAccess (bedrock:* on *, plus its
 * kms/iam/ec2 statements).
 */
#include "store.h"

static const struct emu_aws_policy POLICIES[] = {
    { "AdministratorAccess", "ANPAIWMBCKSKIEE64ZLYK", "/",
      "Provides full access to AWS services and resources.",
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
      "\"Resource\":\"*\"}]}" },
    { "AmazonBedrockFullAccess", "ANPAVRDO7TYDT2OCIXEBQ", "/",
      "Provides full access to Amazon Bedrock and additional permissions to related services.",
      "{\"Version\":\"2012-10-17\",\"Statement\":["
      "{\"Sid\":\"BedrockAll\",\"Effect\":\"Allow\",\"Action\":[\"bedrock:*\"],"
      "\"Resource\":\"*\"},"
      "{\"Sid\":\"DescribeKey\",\"Effect\":\"Allow\",\"Action\":[\"kms:DescribeKey\"],"
      "\"Resource\":\"arn:*:kms:*:::*\"},"
      "{\"Sid\":\"APIsWithAllResourceAccess\",\"Effect\":\"Allow\",\"Action\":["
      "\"iam:ListRoles\",\"ec2:DescribeVpcs\",\"ec2:DescribeSubnets\","
      "\"ec2:DescribeSecurityGroups\"],\"Resource\":\"*\"},"
      "{\"Sid\":\"PassRoleToBedrock\",\"Effect\":\"Allow\",\"Action\":[\"iam:PassRole\"],"
      "\"Resource\":\"arn:aws:iam::*:role/*AmazonBedrock*\",\"Condition\":{\"StringEquals\":"
      "{\"iam:PassedToService\":[\"bedrock.amazonaws.com\"]}}}]}" },
    { "AmazonBedrockReadOnly", "ANPAVRDO7TYDSIAH2PCK6", "/",
      "Provides read only access to Amazon Bedrock.",
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AmazonBedrockReadOnly\","
      "\"Effect\":\"Allow\",\"Action\":[\"bedrock:Get*\",\"bedrock:List*\"],"
      "\"Resource\":\"*\"}]}" },
    { "IAMReadOnlyAccess", "ANPAJKSO7NDY4T57MWDSQ", "/",
      "Provides read only access to IAM via the AWS Management Console.",
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
      "\"iam:GenerateCredentialReport\",\"iam:GenerateServiceLastAccessedDetails\","
      "\"iam:Get*\",\"iam:List*\",\"iam:SimulateCustomPolicy\","
      "\"iam:SimulatePrincipalPolicy\"],\"Resource\":\"*\"}]}" },
};

const struct emu_aws_policy *emu_aws_policies(size_t *n)
{
    *n = sizeof(POLICIES) / sizeof(POLICIES[0]);
    return POLICIES;
}
