/* long.c — lint fixture: a function of 61 lines fails, one of 60 passes;
 * braces at file scope that open no function count for nothing. */
#define TWICE(x)                                                                                   \
    do {                                                                                           \
        x;                                                                                         \
        x;                                                                                         \
    } while (0)

static const struct pair {
    int a, b;
} pairs[] = {
    {1, 2},
    {3, 4},
};

int long_sixty(int n)
{
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    n += 1;
    return n;
}

int long_sixty_one(int a_rather_long_parameter_name, int another_rather_long_parameter_name_x,
                   int m)
{
    m += a_rather_long_parameter_name + another_rather_long_parameter_name_x;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    m += 1;
    return m;
}
