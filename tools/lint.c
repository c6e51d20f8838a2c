/* lint.c — build tool: the checks that keep luoshi's layering (make lint).
 *
 * Usage: lint [--allow FILE] [--list] FILE...
 *
 * Reads C files and headers, splits them into tokens (comments dropped,
 * literals kept whole, preprocessor lines marked, #defines remembered) and
 * applies these rules, each violation reported as "file:line: rule: text":
 *
 *   sql      the SQL argument of db_prepare, db_exec* and db_query_* (the
 *            entry points of src/db/db.h that take SQL) is a string literal:
 *            adjacent literals, and macros whose replacement is such a
 *            sequence (LIGHT_SQL("?2", "?3")), are allowed; no sqlite3_* or
 *            PQ* call and no <sqlite3.h> or <libpq-fe.h> outside src/db.
 *   html     the argument of html_raw and the format of html_printf and
 *            html_vprintf are string literals; no buf_* write goes into an
 *            html_frag (x.html) or, in src/web, into the page (&r->out, o).
 *            src/util/html.h says how non-literal HTML gets into a page.
 *   include  a file in src/DIR includes only the folders the layer table
 *            below allows DIR; a folder without a row is an error.
 *   cycle    no folders of src/ include each other, directly or not.
 *   length   a function, from the line of its name to its closing brace,
 *            is at most 60 lines (in src/ and tools/).
 *
 * The rules but length apply to the program: paths with a src/ component,
 * whose folder is the component after the last one (so the fixtures of
 * tests/lint/ can pose as tests/lint/NAME/src/DIR/file.c).  The files that
 * implement what a rule guards are exempt from it (the table below).
 *
 * With --allow FILE, a violation is forgiven by a line "file:rule:detail" of
 * FILE (the detail is what --list prints; # starts a comment line); each line
 * forgives one violation, and a line that forgives none is a violation of
 * rule "allow", so the list only shrinks.  --list prints every violation as
 * such a line and exits 0.
 *
 * Exit status: 0 clean, 1 violations, 2 usage or I/O error.  The tool parses
 * no more C than these rules need; it does not preprocess or build anything. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FUNCTION_LINES 60

/* Which folders of src/ a folder may include ("*": any). */
static const struct layer {
    const char *dir;
    const char *may;
} layers[] = {
    {"util", ""},
    {"db", "util"},
    {"intake", "util"},
    {"core", "db util intake"},
    {"notice", "core util"},
    {"deliver", "core util"},
    {"http", "core db util"},
    {"api", "http core notice intake db util"},
    {"web", "http core notice intake db util"},
    {"app", "*"},
    {"cli", "*"},
    {"", "*"}, /* src/main.c */
};
#define NLAYERS (sizeof layers / sizeof layers[0])

/* Calls whose argument arg (what it is, for the message) must be a literal;
 * prefix 1 matches every name that starts with name. */
static const struct call_rule {
    const char *name;
    int prefix, arg;
    const char *rule, *what;
} call_rules[] = {
    {"db_prepare", 0, 1, "sql", "SQL text"}, {"db_exec", 1, 1, "sql", "SQL text"},
    {"db_query_", 1, 1, "sql", "SQL text"},  {"html_raw", 0, 1, "html", "HTML"},
    {"html_printf", 0, 1, "html", "format"}, {"html_vprintf", 0, 1, "html", "format"},
};

/* Files that implement what a rule guards, and so are not held to it. */
static const struct exemption {
    const char *rule, *path;
} exemptions[] = {
    {"sql", "src/db/"},          /* the facade; it runs the embedded migrations */
    {"html", "src/util/html.c"}, /* the writer itself */
};

enum tk { T_IDENT, T_STR, T_CHAR, T_NUM, T_PUNCT };

struct tok {
    enum tk kind;
    int line, pp; /* pp: the number of its preprocessor line, 0 outside one */
    const char *p;
    size_t n;
};

struct incl {
    int line, sys;
    char name[256];
};

struct file {
    char *path, *text;
    struct tok *t;
    size_t nt, capt;
    struct incl *inc;
    size_t ninc, capinc;
    int in_src;   /* has a src/ component */
    char dir[64]; /* folder under src/ ("" for src/main.c) */
};

struct viol {
    char *file, *rule, *text, *detail;
    int line, forgiven;
};

static struct viol *viols;
static size_t nviols, capviols;

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, "lint: out of memory\n");
        exit(2);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

static char *vfmt(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = xrealloc(NULL, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

__attribute__((format(printf, 1, 2))) static char *sfmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vfmt(fmt, ap);
    va_end(ap);
    return s;
}

/* Record a violation; detail identifies it in the allow file. */
__attribute__((format(printf, 5, 6))) static void
report(const char *file, int line, const char *rule, const char *detail, const char *fmt, ...)
{
    if (nviols == capviols) {
        capviols = capviols ? capviols * 2 : 64;
        viols = xrealloc(viols, capviols * sizeof *viols);
    }
    va_list ap;
    va_start(ap, fmt);
    viols[nviols++] =
        (struct viol){xstrdup(file), xstrdup(rule), vfmt(fmt, ap), xstrdup(detail), line, 0};
    va_end(ap);
}

/* ---- reading and tokenising ---- */

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *s = NULL;
    size_t n = 0, cap = 0, got;
    do {
        if (cap - n < 4096) s = xrealloc(s, cap = cap * 2 + 4096);
        got = fread(s + n, 1, cap - n - 1, f);
        n += got;
    } while (got > 0);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(s);
        return NULL;
    }
    s[n] = '\0';
    return s;
}

static void push_tok(struct file *f, enum tk kind, int line, int pp, const char *p, size_t n)
{
    if (f->nt == f->capt) {
        f->capt = f->capt ? f->capt * 2 : 1024;
        f->t = xrealloc(f->t, f->capt * sizeof *f->t);
    }
    f->t[f->nt++] = (struct tok){kind, line, pp, p, n};
}

/* Skip a quoted literal starting at s (the opening quote); returns the byte
 * after the closing quote, counting newlines (escaped ones) into *line. */
static const char *skip_quoted(const char *s, int *line)
{
    char q = *s++;
    while (*s && *s != q && *s != '\n') {
        if (*s == '\\' && s[1]) {
            if (s[1] == '\n') ++*line;
            s++;
        }
        s++;
    }
    return *s == q ? s + 1 : s;
}

/* Skip a comment at s if there is one; returns s unchanged otherwise. */
static const char *skip_comment(const char *s, int *line)
{
    if (s[0] == '/' && s[1] == '/') {
        while (*s && *s != '\n')
            s++;
    } else if (s[0] == '/' && s[1] == '*') {
        for (s += 2; *s && !(s[0] == '*' && s[1] == '/'); s++)
            if (*s == '\n') ++*line;
        if (*s) s += 2;
    }
    return s;
}

/* Record the header name of an #include line; s points after "include". */
static void read_include(struct file *f, const char *s, int line)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char close = *s == '"' ? '"' : *s == '<' ? '>' : 0;
    if (!close) return;
    const char *end = strchr(s + 1, close);
    const char *nl = strchr(s + 1, '\n');
    if (!end || (nl && nl < end) || (size_t)(end - s - 1) >= sizeof f->inc->name) return;
    if (f->ninc == f->capinc) {
        f->capinc = f->capinc ? f->capinc * 2 : 32;
        f->inc = xrealloc(f->inc, f->capinc * sizeof *f->inc);
    }
    struct incl *in = &f->inc[f->ninc++];
    in->line = line;
    in->sys = close == '>';
    memcpy(in->name, s + 1, (size_t)(end - s - 1));
    in->name[end - s - 1] = '\0';
}

static int is_ident(int c)
{
    return isalnum(c) || c == '_';
}

/* One token at s (not whitespace, not a comment); returns the byte after it. */
static const char *lex_one(struct file *f, const char *s, int *line, int pp)
{
    const char *b = s;
    if (is_ident((unsigned char)*s) && !isdigit((unsigned char)*s)) {
        while (is_ident((unsigned char)*s))
            s++;
        int prefix = (s - b == 1 && strchr("LuU", *b)) || (s - b == 2 && !strncmp(b, "u8", 2));
        if (!prefix || (*s != '"' && *s != '\'')) {
            push_tok(f, T_IDENT, *line, pp, b, (size_t)(s - b));
            return s;
        }
    }
    if (*s == '"' || *s == '\'') {
        int at = *line;
        enum tk k = *s == '"' ? T_STR : T_CHAR;
        s = skip_quoted(s, line);
        push_tok(f, k, at, pp, b, (size_t)(s - b));
    } else if (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1]))) {
        for (s++; is_ident((unsigned char)*s) || *s == '.' ||
                  ((*s == '+' || *s == '-') && strchr("eEpP", s[-1]));
             s++)
            ;
        push_tok(f, T_NUM, *line, pp, b, (size_t)(s - b));
    } else {
        push_tok(f, T_PUNCT, *line, pp, s++, 1);
    }
    return s;
}

/* Split f->text into tokens and collect its #include lines. */
static void lex(struct file *f)
{
    const char *s = f->text;
    int line = 1, pp = 0, bol = 1, directives = 0;
    while (*s) {
        const char *c = skip_comment(s, &line);
        if (c != s) {
            s = c;
        } else if (*s == '\n') {
            line++, s++, pp = 0, bol = 1;
        } else if (*s == '\\' && s[1] == '\n') {
            line++, s += 2;
        } else if (isspace((unsigned char)*s)) {
            s++;
        } else if (*s == '#' && bol) {
            pp = ++directives, bol = 0;
            const char *d = s + 1;
            while (*d == ' ' || *d == '\t')
                d++;
            if (!strncmp(d, "include", 7)) read_include(f, d + 7, line);
            s++;
        } else {
            bol = 0;
            s = lex_one(f, s, &line, pp);
        }
    }
}

/* Fill f->in_src and f->dir from the path: the component after the last
 * "src/" one; a file directly in src/ gets "". */
static void place(struct file *f)
{
    const char *p = f->path, *src = NULL;
    for (const char *q = p; (q = strstr(q, "src/")) != NULL; q += 4)
        if (q == p || q[-1] == '/') src = q + 4;
    f->in_src = src != NULL;
    f->dir[0] = '\0';
    if (!src) return;
    const char *slash = strchr(src, '/');
    if (slash && (size_t)(slash - src) < sizeof f->dir) {
        memcpy(f->dir, src, (size_t)(slash - src));
        f->dir[slash - src] = '\0';
    }
}

/* ---- rule sql and html: literal arguments ---- */

static int exempt(const struct file *f, const char *rule)
{
    for (size_t k = 0; k < sizeof exemptions / sizeof exemptions[0]; k++)
        if (!strcmp(exemptions[k].rule, rule) && strstr(f->path, exemptions[k].path)) return 1;
    return 0;
}

static int tok_is(const struct tok *t, const char *s)
{
    return t->n == strlen(s) && !memcmp(t->p, s, t->n);
}

/* 1 when the identifier at i starts a declaration or definition rather than
 * a call: a type name or a '*' after one comes before it (a macro's name is
 * not a type: "#define RUN db_exec(db, s)" is a call). */
static int is_declared(const struct file *f, size_t i)
{
    static const char *const exprs[] = {"return", "else", "case", "do", "sizeof"};
    if (i == 0) return 0;
    const struct tok *p = &f->t[i - 1];
    if (p->kind == T_PUNCT && *p->p == '*' && i >= 2)
        return f->t[i - 2].kind == T_IDENT || tok_is(&f->t[i - 2], "*");
    if (p->kind != T_IDENT || (p->pp && i >= 2 && tok_is(&f->t[i - 2], "define"))) return 0;
    for (size_t k = 0; k < sizeof exprs / sizeof exprs[0]; k++)
        if (tok_is(p, exprs[k])) return 0;
    return 1;
}

/* The text of tokens [a, b] with every run of whitespace made one space. */
static char *span_text(const struct file *f, size_t a, size_t b)
{
    const char *s = f->t[a].p, *e = f->t[b].p + f->t[b].n;
    char *out = xrealloc(NULL, (size_t)(e - s) + 1), *o = out;
    for (; s < e; s++) {
        if (isspace((unsigned char)*s)) {
            if (o > out && o[-1] != ' ') *o++ = ' ';
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* Find argument arg of the call whose '(' is token open: sets [*a, *b] to its
 * tokens.  Returns 0 when the call has no such argument. */
static int call_arg(const struct file *f, size_t open, int arg, size_t *a, size_t *b)
{
    int depth = 0, n = 0;
    size_t start = open + 1;
    for (size_t i = open; i < f->nt; i++) {
        const struct tok *t = &f->t[i];
        if (t->kind != T_PUNCT) continue;
        char c = *t->p;
        if (c == '(' || c == '[' || c == '{') depth++;
        if (c == ')' || c == ']' || c == '}') depth--;
        if ((c == ',' && depth == 1) || depth == 0) {
            if (n == arg && i > start) {
                *a = start, *b = i - 1;
                return 1;
            }
            n++, start = i + 1;
        }
        if (depth == 0) return 0;
    }
    return 0;
}

/* ---- macros that stand for string literals ---- */

/* A #define: its name, its parameters and replacement list as token ranges
 * of file f (params 0 for an object-like macro). */
struct macro {
    const struct file *f;
    size_t name, params, nparams, body, end; /* body..end-1: the replacement */
};

static struct macro *macros;
static size_t nmacros, capmacros;

/* Record the #define whose name is token i of f. */
static void add_macro(const struct file *f, size_t i)
{
    struct macro m = {f, i, 0, 0, i + 1, i + 1};
    size_t k = i + 1;
    int pp = f->t[i].pp;
    if (k < f->nt && f->t[k].pp == pp && tok_is(&f->t[k], "(") &&
        f->t[k].p == f->t[i].p + f->t[i].n) {
        m.params = ++k;
        for (; k < f->nt && f->t[k].pp == pp && !tok_is(&f->t[k], ")"); k++)
            m.nparams += f->t[k].kind == T_IDENT;
        m.body = ++k;
    }
    for (m.end = m.body; m.end < f->nt && f->t[m.end].pp == pp; m.end++)
        ;
    if (nmacros == capmacros) {
        capmacros = capmacros ? capmacros * 2 : 256;
        macros = xrealloc(macros, capmacros * sizeof *macros);
    }
    macros[nmacros++] = m;
}

static void collect_macros(const struct file *f)
{
    for (size_t i = 0; i + 1 < f->nt; i++)
        if (f->t[i].pp && (i == 0 || f->t[i - 1].pp != f->t[i].pp) && tok_is(&f->t[i], "define") &&
            f->t[i + 1].kind == T_IDENT)
            add_macro(f, i + 1);
}

static const struct macro *find_macro(const struct tok *t)
{
    for (size_t k = 0; k < nmacros; k++) {
        const struct tok *n = &macros[k].f->t[macros[k].name];
        if (n->n == t->n && !memcmp(n->p, t->p, t->n)) return &macros[k];
    }
    return NULL;
}

/* 1 when token t names a parameter of m. */
static int is_param(const struct macro *m, const struct tok *t)
{
    for (size_t k = m->params; m->nparams && k < m->body - 1; k++)
        if (m->f->t[k].kind == T_IDENT && m->f->t[k].n == t->n && !memcmp(m->f->t[k].p, t->p, t->n))
            return 1;
    return 0;
}

static int literal_seq(const struct file *f, size_t a, size_t b, int depth);

/* 1 when token t of m's replacement is a literal or one of m's parameters. */
static int literal_or_param(const struct macro *m, size_t t, int depth)
{
    return is_param(m, &m->f->t[t]) || literal_seq(m->f, t, t, depth);
}

/* 1 when macro m's replacement is a literal sequence (its parameters count
 * as literals: the arguments are checked where m is used).  Another macro
 * used inside takes only literals and m's parameters as its arguments. */
static int literal_macro(const struct macro *m, int depth)
{
    if (depth > 16 || m->body == m->end) return 0;
    const struct file *f = m->f;
    for (size_t k = m->body; k < m->end; k++) {
        if (literal_or_param(m, k, depth + 1)) continue;
        const struct macro *in = find_macro(&f->t[k]);
        if (!in || !in->params || k + 1 >= m->end || !tok_is(&f->t[k + 1], "(")) return 0;
        if (!literal_macro(in, depth + 1)) return 0;
        for (k += 2; k < m->end && !tok_is(&f->t[k], ")"); k++)
            if (!tok_is(&f->t[k], ",") && !literal_or_param(m, k, depth + 1)) return 0;
        if (k == m->end) return 0;
    }
    return 1;
}

/* 1 when tokens [a, b] are string literals and macros that stand for string
 * literals, each argument of such a macro being one in turn. */
static int literal_seq(const struct file *f, size_t a, size_t b, int depth)
{
    for (size_t k = a; k <= b; k++) {
        if (f->t[k].kind == T_STR) continue;
        const struct macro *m = f->t[k].kind == T_IDENT ? find_macro(&f->t[k]) : NULL;
        if (!m || depth > 16 || !literal_macro(m, depth + 1)) return 0;
        if (!m->params) continue;
        size_t x, y;
        if (k + 1 > b || !tok_is(&f->t[k + 1], "(")) return 0;
        size_t close = k + 1;
        for (int open = 0; close <= b; close++) {
            open += tok_is(&f->t[close], "(") - tok_is(&f->t[close], ")");
            if (open == 0) break;
        }
        if (close > b) return 0;
        for (size_t n = 0; n < m->nparams; n++)
            if (!call_arg(f, k + 1, (int)n, &x, &y) || !literal_seq(f, x, y, depth + 1)) return 0;
        k = close;
    }
    return 1;
}

static const struct call_rule *call_rule_of(const struct tok *t)
{
    for (size_t k = 0; k < sizeof call_rules / sizeof call_rules[0]; k++) {
        const struct call_rule *c = &call_rules[k];
        size_t n = strlen(c->name);
        if (t->n >= n && !memcmp(t->p, c->name, n) && (c->prefix || t->n == n)) return c;
    }
    return NULL;
}

/* The literal rule for the call at token i, if it is one of call_rules. */
static void check_call(const struct file *f, size_t i)
{
    const struct call_rule *c = call_rule_of(&f->t[i]);
    if (!c || i + 1 >= f->nt || !tok_is(&f->t[i + 1], "(") || is_declared(f, i)) return;
    if (exempt(f, c->rule)) return;
    size_t a, b;
    if (!call_arg(f, i + 1, c->arg, &a, &b)) return;
    if (literal_seq(f, a, b, 0)) return;
    char *name = span_text(f, i, i), *arg = span_text(f, a, b);
    char *detail = sfmt("%s %s", name, arg);
    report(f->path, f->t[a].line, c->rule, detail, "%s with a non-literal %s: %s", name, c->what,
           arg);
    free(name), free(arg), free(detail);
}

/* 1 when s (a buffer argument) ends in the member name ".html" or "->html". */
static int is_fragment(const char *s)
{
    size_t n = strlen(s);
    return (n > 5 && !strcmp(s + n - 5, ".html")) || (n > 6 && !strcmp(s + n - 6, "->html"));
}

/* A buf_* write into an html_frag (x.html), or in src/web into the page's
 * response (&r->out, or its usual alias o): raw output around html.h. */
static void check_raw_write(const struct file *f, size_t i)
{
    static const char *const writes[] = {"buf_append", "buf_puts", "buf_putc", "buf_printf",
                                         "buf_vprintf"};
    size_t a, b, k = 0;
    while (k < sizeof writes / sizeof writes[0] && !tok_is(&f->t[i], writes[k]))
        k++;
    if (k == sizeof writes / sizeof writes[0] || i + 1 >= f->nt || !tok_is(&f->t[i + 1], "(") ||
        is_declared(f, i) || !call_arg(f, i + 1, 0, &a, &b))
        return;
    char *out = span_text(f, a, b);
    int page = !strcmp(f->dir, "web") && (!strcmp(out, "&r->out") || !strcmp(out, "o"));
    if (page || is_fragment(out)) {
        char *detail = sfmt("%s %s", writes[k], out);
        report(f->path, f->t[i].line, "html", detail, "%s writes to %s (%s) around html.h",
               writes[k], page ? "the page" : "a fragment", out);
        free(detail);
    }
    free(out);
}

/* sqlite3_* and PQ* calls outside src/db. */
static void check_driver_call(const struct file *f, size_t i)
{
    const struct tok *t = &f->t[i];
    int sqlite = t->n > 8 && !memcmp(t->p, "sqlite3_", 8);
    int pq = t->n > 2 && !memcmp(t->p, "PQ", 2) && islower((unsigned char)t->p[2]);
    if (!(sqlite || pq) || i + 1 >= f->nt || !tok_is(&f->t[i + 1], "(")) return;
    char *name = span_text(f, i, i);
    report(f->path, t->line, "sql", name, "%s called outside src/db", name);
    free(name);
}

static void check_calls(const struct file *f)
{
    if (!f->in_src) return;
    for (size_t i = 0; i < f->nt; i++) {
        if (f->t[i].kind != T_IDENT) continue;
        check_call(f, i);
        if (!exempt(f, "html")) check_raw_write(f, i);
        if (!exempt(f, "sql")) check_driver_call(f, i);
    }
}

/* ---- rules include and cycle ---- */

static const struct layer *layer_of(const char *dir)
{
    for (size_t k = 0; k < NLAYERS; k++)
        if (!strcmp(layers[k].dir, dir)) return &layers[k];
    return NULL;
}

/* 1 when layer l may include folder dir. */
static int may_include(const struct layer *l, const char *dir)
{
    if (!strcmp(l->may, "*") || !strcmp(l->dir, dir)) return 1;
    size_t n = strlen(dir);
    for (const char *p = l->may; (p = strstr(p, dir)) != NULL; p += n)
        if ((p == l->may || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return 1;
    return 0;
}

/* The folder under src/ that a quoted include names ("" when it names none:
 * a header beside the file, or one generated under build/gen). */
static void include_dir(const struct incl *in, char *dir, size_t len)
{
    const char *slash = strchr(in->name, '/');
    dir[0] = '\0';
    if (!in->sys && slash && (size_t)(slash - in->name) < len) {
        memcpy(dir, in->name, (size_t)(slash - in->name));
        dir[slash - in->name] = '\0';
    }
}

static void check_includes(const struct file *f)
{
    if (!f->in_src) return;
    const struct layer *l = layer_of(f->dir);
    if (!l) {
        report(f->path, 1, "include", f->dir, "src/%s has no row in the layer table", f->dir);
        return;
    }
    for (size_t k = 0; k < f->ninc; k++) {
        const struct incl *in = &f->inc[k];
        char dir[64];
        include_dir(in, dir, sizeof dir);
        if (in->sys && !exempt(f, "sql") &&
            (!strcmp(in->name, "sqlite3.h") || !strcmp(in->name, "libpq-fe.h"))) {
            char *d = sfmt("<%s>", in->name);
            report(f->path, in->line, "sql", d, "%s included outside src/db", d);
            free(d);
        }
        if (!dir[0] || may_include(l, dir)) continue;
        if (!layer_of(dir))
            report(f->path, in->line, "include", in->name,
                   "\"%s\" is in src/%s, which has no row in the layer table", in->name, dir);
        else
            report(f->path, in->line, "include", in->name,
                   "%s may not include \"%s\" (%s may include: %s)", f->dir[0] ? f->dir : "main",
                   in->name, f->dir, l->may[0] ? l->may : "nothing");
    }
}

#define MAX_DIRS 64
static char dirs[MAX_DIRS][64];
static size_t ndirs;
static unsigned char reach[MAX_DIRS][MAX_DIRS];

static size_t dir_index(const char *dir)
{
    for (size_t k = 0; k < ndirs; k++)
        if (!strcmp(dirs[k], dir)) return k;
    if (ndirs == MAX_DIRS) {
        fprintf(stderr, "lint: more than %d folders under src/\n", MAX_DIRS);
        exit(2);
    }
    snprintf(dirs[ndirs], sizeof dirs[ndirs], "%s", dir);
    return ndirs++;
}

/* The edge an include of f makes between two folders, as indexes into dirs;
 * returns 0 when it makes none. */
static int edge_of(const struct file *f, const struct incl *in, size_t *from, size_t *to)
{
    char dir[64];
    include_dir(in, dir, sizeof dir);
    if (!f->in_src || !f->dir[0] || !dir[0] || !strcmp(dir, f->dir)) return 0;
    *from = dir_index(f->dir), *to = dir_index(dir);
    return 1;
}

/* The members of the cycle through folder a, sorted, joined by ", ". */
static char *cycle_members(size_t a)
{
    const char *m[MAX_DIRS];
    size_t n = 0, len = 1;
    for (size_t k = 0; k < ndirs; k++)
        if (reach[a][k] && reach[k][a]) m[n++] = dirs[k], len += strlen(dirs[k]) + 2;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(m[j - 1], m[j]) > 0; j--) {
            const char *x = m[j];
            m[j] = m[j - 1], m[j - 1] = x;
        }
    char *s = xrealloc(NULL, len);
    s[0] = '\0';
    for (size_t i = 0; i < n; i++)
        strcat(strcat(s, i ? ", " : ""), m[i]);
    return s;
}

/* Report each group of folders that include each other once, at the first
 * include (in file order) that is an edge inside the group. */
static void check_cycles(const struct file *fs, size_t nf)
{
    size_t a, b;
    for (size_t i = 0; i < nf; i++)
        for (size_t k = 0; k < fs[i].ninc; k++)
            if (edge_of(&fs[i], &fs[i].inc[k], &a, &b)) reach[a][b] = 1;
    for (size_t m = 0; m < ndirs; m++)
        for (size_t x = 0; x < ndirs; x++)
            for (size_t y = 0; y < ndirs; y++)
                reach[x][y] |= reach[x][m] && reach[m][y];
    unsigned char done[MAX_DIRS] = {0};
    for (size_t i = 0; i < nf; i++)
        for (size_t k = 0; k < fs[i].ninc; k++) {
            if (!edge_of(&fs[i], &fs[i].inc[k], &a, &b) || !reach[b][a] || done[a]) continue;
            char *members = cycle_members(a);
            report(fs[i].path, fs[i].inc[k].line, "cycle", members,
                   "folders %s include each other (this line: %s -> %s)", members, dirs[a],
                   dirs[b]);
            free(members);
            for (size_t c = 0; c < ndirs; c++)
                if (reach[a][c] && reach[c][a]) done[c] = 1;
        }
}

/* ---- rule length ---- */

/* The token naming the function whose parameter list ends at token close,
 * or 0 when there is none. */
static size_t function_name(const struct file *f, size_t close)
{
    int depth = 0;
    for (size_t i = close + 1; i-- > 0;) {
        if (tok_is(&f->t[i], ")")) depth++;
        if (tok_is(&f->t[i], "(") && --depth == 0)
            return i > 0 && f->t[i - 1].kind == T_IDENT ? i - 1 : 0;
    }
    return 0;
}

/* Every '{' at file scope right after a ')' opens a function body; the
 * function runs from the line of its name to the line of its last '}'. */
static void check_lengths(const struct file *f)
{
    int depth = 0;
    size_t open = 0;
    for (size_t i = 0; i < f->nt; i++) {
        const struct tok *t = &f->t[i];
        if (t->pp || t->kind != T_PUNCT || (*t->p != '{' && *t->p != '}')) continue;
        if (*t->p == '{' && depth++ == 0) open = i;
        if (*t->p != '}' || --depth != 0 || open == 0 || !tok_is(&f->t[open - 1], ")")) continue;
        size_t name = function_name(f, open - 1);
        int lines = name ? t->line - f->t[name].line + 1 : 0;
        if (lines > MAX_FUNCTION_LINES) {
            char *s = span_text(f, name, name);
            report(f->path, f->t[name].line, "length", s,
                   "%s is %d lines long (at most %d, from its name to its closing brace)", s, lines,
                   MAX_FUNCTION_LINES);
            free(s);
        }
    }
}

/* ---- the allow file ---- */

/* Forgive the first unforgiven violation that line (file:rule:detail)
 * names; returns 0 when there is none. */
static int forgive(const char *line)
{
    const char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c2) return 0;
    size_t nfile = (size_t)(c1 - line), nrule = (size_t)(c2 - c1 - 1);
    for (size_t i = 0; i < nviols; i++) {
        struct viol *v = &viols[i];
        if (v->forgiven || strlen(v->file) != nfile || memcmp(v->file, line, nfile) != 0 ||
            strlen(v->rule) != nrule || memcmp(v->rule, c1 + 1, nrule) != 0 ||
            strcmp(v->detail, c2 + 1) != 0)
            continue;
        v->forgiven = 1;
        return 1;
    }
    return 0;
}

/* Read the allow file; every line that forgives nothing is a violation of
 * its own.  Returns 0, or -1 when the file cannot be read. */
static int apply_allow(const char *path)
{
    char *text = read_all(path);
    if (!text) return -1;
    int n = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        n++;
        if (!*line || *line == '#') continue;
        if (!forgive(line))
            report(path, n, "allow", line, "no violation matches \"%s\" (delete the line)", line);
    }
    free(text);
    return 0;
}

/* ---- main ---- */

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct file *)a)->path, ((const struct file *)b)->path);
}

static int by_place(const void *a, const void *b)
{
    const struct viol *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : x->line - y->line;
}

static int usage(void)
{
    fprintf(stderr, "usage: lint [--allow FILE] [--list] FILE...\n");
    return 2;
}

/* Read, split and check every file; returns 0, or 2 when one cannot be read. */
static int check_files(struct file *fs, size_t nf)
{
    qsort(fs, nf, sizeof *fs, by_path);
    for (size_t i = 0; i < nf; i++) {
        fs[i].text = read_all(fs[i].path);
        if (!fs[i].text) {
            fprintf(stderr, "lint: cannot read %s\n", fs[i].path);
            return 2;
        }
        place(&fs[i]);
        lex(&fs[i]);
        collect_macros(&fs[i]);
    }
    for (size_t i = 0; i < nf; i++) {
        check_calls(&fs[i]);
        check_includes(&fs[i]);
        if (fs[i].in_src || !strncmp(fs[i].path, "tools/", 6)) check_lengths(&fs[i]);
    }
    check_cycles(fs, nf);
    return 0;
}

int main(int argc, char **argv)
{
    const char *allow = NULL;
    int list = 0, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--allow") && i + 1 < argc)
            allow = argv[++i];
        else if (!strcmp(argv[i], "--list"))
            list = 1;
        else
            return usage();
    }
    if (i == argc) return usage();
    size_t nf = (size_t)(argc - i);
    struct file *fs = xrealloc(NULL, nf * sizeof *fs);
    memset(fs, 0, nf * sizeof *fs);
    for (size_t k = 0; k < nf; k++)
        fs[k].path = argv[i + (int)k];
    if (check_files(fs, nf) != 0) return 2;
    qsort(viols, nviols, sizeof *viols, by_place);
    for (size_t k = 0; list && k < nviols; k++)
        printf("%s:%s:%s\n", viols[k].file, viols[k].rule, viols[k].detail);
    if (list) return 0;
    if (allow && apply_allow(allow) != 0) {
        fprintf(stderr, "lint: cannot read %s\n", allow);
        return 2;
    }
    int bad = 0;
    for (size_t k = 0; k < nviols; k++)
        if (!viols[k].forgiven)
            bad = 1,
            printf("%s:%d: %s: %s\n", viols[k].file, viols[k].line, viols[k].rule, viols[k].text);
    return bad;
}
