/* routes_cmd.c — luoshi routes [--json]: print the server's route table
 * (app/routes.c) as the binary carries it: method, pattern, the roles that
 * may call each route and its flags.  Not listed by `luoshi help`: it exists
 * so tests can compare the routes they cover with the routes there are (the
 * permissions matrix fails on a route without a row), and for an operator
 * who wants to know what a build serves.  It opens no database. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/core.h"
#include "app/app.h"

static const struct {
    unsigned bit;
    const char *name;
} role_names[] = {
    {ROLE_ADMIN, "admin"},     {ROLE_SUPERVISOR, "supervisor"}, {ROLE_LEADER, "leader"},
    {ROLE_HANDLER, "handler"}, {ROLE_REPORTER, "reporter"},     {ROLE_APPLICANT, "applicant"},
    {ROLE_HEAD, "head"},
};

static const struct {
    unsigned bit;
    const char *name;
} flag_names[] = {
    {ROUTE_JSON, "json"},           {ROUTE_FORM, "form"},         {ROUTE_PAGE, "page"},
    {ROUTE_NO_CSRF, "no_csrf"},     {ROUTE_UPLOAD, "upload"},     {ROUTE_FILE, "file"},
    {ROUTE_MULTIPART, "multipart"}, {ROUTE_DOCUMENT, "document"},
};

#define NROLES (sizeof role_names / sizeof role_names[0])
#define NFLAGS (sizeof flag_names / sizeof flag_names[0])

/* The route's roles and flags as two JSON arrays of names; an empty roles
 * array means public (no login needed). */
static json_t *route_json(const struct route *rt)
{
    json_t *roles = json_array(), *flags = json_array();
    for (size_t k = 0; k < NROLES; k++)
        if (rt->roles & role_names[k].bit)
            json_array_append_new(roles, json_string(role_names[k].name));
    for (size_t k = 0; k < NFLAGS; k++)
        if (rt->flags & flag_names[k].bit)
            json_array_append_new(flags, json_string(flag_names[k].name));
    return json_pack("{s:s, s:s, s:o, s:o, s:s}", "method", rt->method, "pattern", rt->pattern,
                     "roles", roles, "flags", flags, "doc", rt->doc);
}

/* One line per route: METHOD PATTERN ROLES FLAGS, with "public" for a route
 * anyone may call and "-" for no flags. */
static void route_print(const struct route *rt)
{
    printf("%-7s %-34s ", rt->method, rt->pattern);
    int n = 0;
    for (size_t k = 0; k < NROLES; k++)
        if (rt->roles & role_names[k].bit) printf("%s%s", n++ ? "," : "", role_names[k].name);
    if (!n) printf("public");
    printf(" ");
    n = 0;
    for (size_t k = 0; k < NFLAGS; k++)
        if (rt->flags & flag_names[k].bit) printf("%s%s", n++ ? "," : "", flag_names[k].name);
    printf("%s\n", n ? "" : "-");
}

int cmd_routes(int argc, char **argv)
{
    int as_json = 0, npos;
    struct cli_opt opts[] = {{"json", NULL, &as_json}};
    if (cli_parse("routes", argc, argv, opts, 1, NULL, 0, &npos)) return CLI_USAGE;
    if (!as_json) {
        for (size_t i = 0; i < app_routes_count; i++)
            route_print(&app_routes[i]);
        return CLI_OK;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < app_routes_count; i++)
        json_array_append_new(list, route_json(&app_routes[i]));
    json_t *doc = json_pack("{s:o}", "routes", list);
    char *s = json_dumps(doc, JSON_INDENT(2));
    json_decref(doc);
    if (!s) {
        fprintf(stderr, "luoshi routes: out of memory\n");
        return CLI_FAIL;
    }
    printf("%s\n", s);
    free(s);
    return CLI_OK;
}
