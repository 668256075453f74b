/*
 * crypto/time.c - UTC timestamps for SigV4: "YYYYMMDDTHHMMSSZ" (amz-date) and ISO 8601.
 *
 * Formatting is pure arithmetic, parsing uses timegm: no local time zone is ever consulted. Parsers
 * are strict about the shape and the field ranges and write *out only on success.
 */
#include "sigv4.h"

#include <string.h>

static void put_digits(char *p, int v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
 * Pure arithmetic: the signer formats a date per request, and gmtime_r takes the time-zone
 * lock on every call. The unit test checks it against gmtime_r. */
static void civil_from_days(long long z, long long *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

void brk_amz_date(time_t t, char out[17])
{
    long long secs = (long long)t;
    long long days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    long long rem = secs - days * 86400;
    long long y = 0;
    int m = 0, d = 0;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        memcpy(out, "00000000T000000Z", 17);
        return;
    }
    put_digits(out, (int)y, 4);
    put_digits(out + 4, m, 2);
    put_digits(out + 6, d, 2);
    out[8] = 'T';
    put_digits(out + 9, (int)(rem / 3600), 2);
    put_digits(out + 11, (int)(rem / 60 % 60), 2);
    put_digits(out + 13, (int)(rem % 60), 2);
    out[15] = 'Z';
    out[16] = '\0';
}

void brk_iso8601(time_t t, char out[21])
{
    char a[17];
    brk_amz_date(t, a); /* YYYYMMDDTHHMMSSZ -> YYYY-MM-DDTHH:MM:SSZ */
    memcpy(out, a, 4);
    out[4] = '-';
    memcpy(out + 5, a + 4, 2);
    out[7] = '-';
    memcpy(out + 8, a + 6, 3); /* DD and 'T' */
    memcpy(out + 11, a + 9, 2);
    out[13] = ':';
    memcpy(out + 14, a + 11, 2);
    out[16] = ':';
    memcpy(out + 17, a + 13, 4); /* SS, 'Z' and the NUL */
}

/* n decimal digits at s, or -1. */
static int read_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

static bedrock_code make_time(int y, int mo, int d, int h, int mi, int s, time_t *out)
{
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        s > 60) {
        return BEDROCK_E_PARSE;
    }
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    time_t t = timegm(&tm);
    if (t == (time_t)-1) {
        return BEDROCK_E_PARSE;
    }
    *out = t;
    return BEDROCK_OK;
}

bedrock_code brk_parse_amz_date(const char *s, time_t *out)
{
    if (s == NULL || strlen(s) != 16 || s[8] != 'T' || s[15] != 'Z') {
        return BEDROCK_E_PARSE;
    }
    int y = read_digits(s, 4), mo = read_digits(s + 4, 2), d = read_digits(s + 6, 2);
    int h = read_digits(s + 9, 2), mi = read_digits(s + 11, 2), sec = read_digits(s + 13, 2);
    if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) {
        return BEDROCK_E_PARSE;
    }
    return make_time(y, mo, d, h, mi, sec, out);
}

/* Parses the zone suffix at p ("Z", "+hh:mm", "-hh:mm", "+hhmm") into seconds east of UTC. */
static bedrock_code parse_zone(const char *p, long *offset_s)
{
    if ((p[0] == 'Z' || p[0] == 'z') && p[1] == '\0') {
        *offset_s = 0;
        return BEDROCK_OK;
    }
    if (p[0] != '+' && p[0] != '-') {
        return BEDROCK_E_PARSE;
    }
    int hh = read_digits(p + 1, 2);
    if (hh < 0) {
        return BEDROCK_E_PARSE;
    }
    const char *m = p + 3;
    if (*m == ':') {
        m++;
    }
    int mm = read_digits(m, 2);
    if (mm < 0 || m[2] != '\0' || hh > 23 || mm > 59) {
        return BEDROCK_E_PARSE;
    }
    long off = (long)hh * 3600 + (long)mm * 60;
    *offset_s = p[0] == '-' ? -off : off;
    return BEDROCK_OK;
}

bedrock_code brk_parse_iso8601(const char *s, time_t *out)
{
    if (s == NULL || strlen(s) < 20) {
        return BEDROCK_E_PARSE;
    }
    if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
        s[16] != ':') {
        return BEDROCK_E_PARSE;
    }
    int y = read_digits(s, 4), mo = read_digits(s + 5, 2), d = read_digits(s + 8, 2);
    int h = read_digits(s + 11, 2), mi = read_digits(s + 14, 2), sec = read_digits(s + 17, 2);
    if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) {
        return BEDROCK_E_PARSE;
    }
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9') {
            return BEDROCK_E_PARSE;
        }
        while (*p >= '0' && *p <= '9') {
            p++;
        }
    }
    long offset_s = 0;
    time_t t = 0;
    bedrock_code rc = parse_zone(p, &offset_s);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    rc = make_time(y, mo, d, h, mi, sec, &t);
    if (rc != BEDROCK_OK) {
        return rc;
    }
    *out = t - (time_t)offset_s;
    return BEDROCK_OK;
}
