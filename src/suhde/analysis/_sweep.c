/* Betweenness and harmonic centrality from up to 64 sources in one sweep (C, no dependencies).
 *
 * The searches of a batch of sources run together, level by level: every person holds one
 * 64-bit word saying which of the searches have reached them (the multi-source search of
 * suhde/analysis/bfs.py, after Then et al., PVLDB 8(4), 2014), and the shortest-path counts
 * of Brandes' algorithm (J. Math. Sociol. 25(2), 2001) for search b in lane b of a row of 64
 * doubles. A tie is walked once per level in which its tail is on any search's frontier, not
 * once per search, and the work per tie is one bit per search that takes it: on a
 * small-world network most of the 64 searches pass a person within a few levels of each
 * other, so this is several times less work than 64 separate searches.
 *
 * Forward, level by level: lanes of w first reached at level d + 1 from u take sigma[u] (the
 * number of shortest paths). Backward, deepest level first: the dependency of v on a search
 * is delta = sigma[v] * sum over successors w of (1 + delta[w]) / sigma[w]; the sum's terms
 * are kept in the same row (sigma[v] is not needed again once v's dependency is known).
 * Harmonic centrality adds 1 / d for every search that reaches a person at distance d.
 *
 * sweep(ptr, adj, sources, between, harmonic): ptr (int64, n + 1) and adj (int32, m) are the
 * ties grouped by tail (adj[ptr[v]:ptr[v + 1]] are the people v names); sources (int64, at
 * most 64); between and harmonic (float64, n) are added to: the raw dependency sums
 * (igraph's betweenness(directed=True, sources=...)) and sum of 1 / d(s, v) over the sources.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 64

typedef struct {
    int32_t *vertex;
    uint64_t *mask;
    int64_t len, cap;
} Entries;

static int push(Entries *e, int32_t v, uint64_t mask) {
    if (e->len == e->cap) {
        int64_t cap = e->cap ? 2 * e->cap : 1024;
        int32_t *vertex = realloc(e->vertex, cap * sizeof(int32_t));
        if (!vertex) return -1;
        e->vertex = vertex;
        uint64_t *m = realloc(e->mask, cap * sizeof(uint64_t));
        if (!m) return -1;
        e->mask = m;
        e->cap = cap;
    }
    e->vertex[e->len] = v;
    e->mask[e->len] = mask;
    e->len++;
    return 0;
}

static int push_start(int64_t **starts, int64_t *count, int64_t *cap, int64_t value) {
    if (*count == *cap) {
        int64_t grown = *cap ? 2 * *cap : 64;
        int64_t *s = realloc(*starts, grown * sizeof(int64_t));
        if (!s) return -1;
        *starts = s;
        *cap = grown;
    }
    (*starts)[(*count)++] = value;
    return 0;
}

/* Returns 0, or -1 when memory ran out. */
static int sweep(int64_t W, int64_t n, const int64_t *ptr, const int32_t *adj, int64_t k,
                 const int64_t *sources, double *between, double *harmonic) {
    int status = -1;
    uint64_t *seen = calloc(n ? n : 1, sizeof(uint64_t));
    uint64_t *next = calloc(n ? n : 1, sizeof(uint64_t));
    double *rows = calloc(n ? (size_t)n * W : 1, sizeof(double));
    int32_t *fresh = malloc((n ? n : 1) * sizeof(int32_t));
    Entries level = {0};
    int64_t *starts = NULL, levels = 0, cap = 0;
    double acc[WIDTH];
    if (!seen || !next || !rows || !fresh) goto done;

    /* level 0: the sources themselves (a source named twice takes both lanes) */
    int64_t nfresh = 0;
    for (int64_t i = 0; i < k; i++) {
        int64_t s = sources[i];
        if (!next[s]) fresh[nfresh++] = (int32_t)s;
        next[s] |= (uint64_t)1 << i;
        rows[s * W + i] = 1.0;
    }
    for (int d = 0;; d++) {
        if (push_start(&starts, &levels, &cap, level.len)) goto done;
        for (int64_t i = 0; i < nfresh; i++) {
            int32_t w = fresh[i];
            uint64_t mask = next[w];
            next[w] = 0;
            seen[w] |= mask;
            if (push(&level, w, mask)) goto done;
            if (d > 0) harmonic[w] += (double)__builtin_popcountll(mask) / d;
        }
        if (nfresh == 0) break;
        nfresh = 0;
        for (int64_t i = starts[levels - 1]; i < level.len; i++) {
            int32_t u = level.vertex[i];
            uint64_t front = level.mask[i];
            const double *su = rows + (int64_t)u * W;
            for (int64_t e = ptr[u]; e < ptr[u + 1]; e++) {
                int32_t w = adj[e];
                uint64_t m = front & ~seen[w];
                if (!m) continue;
                if (!next[w]) fresh[nfresh++] = w;
                next[w] |= m;
                double *sw = rows + (int64_t)w * W;
                while (m) {
                    int b = __builtin_ctzll(m);
                    m &= m - 1;
                    sw[b] += su[b];
                }
            }
        }
    }
    /* levels - 1 levels hold people (the last start closes an empty level). Backward: next
       now holds the masks of the level below the one being processed. */
    for (int64_t d = levels - 2; d >= 1; d--) {
        for (int64_t i = starts[d]; i < starts[d + 1]; i++) {
            int32_t v = level.vertex[i];
            uint64_t mine = level.mask[i];
            for (uint64_t m = mine; m; m &= m - 1) acc[__builtin_ctzll(m)] = 0.0;
            for (int64_t e = ptr[v]; e < ptr[v + 1]; e++) {
                int32_t w = adj[e];
                uint64_t m = mine & next[w];
                const double *cw = rows + (int64_t)w * W;
                while (m) {
                    int b = __builtin_ctzll(m);
                    m &= m - 1;
                    acc[b] += cw[b];
                }
            }
            double *sv = rows + (int64_t)v * W;
            double total = 0.0;
            for (uint64_t m = mine; m; m &= m - 1) {
                int b = __builtin_ctzll(m);
                double delta = sv[b] * acc[b];
                total += delta;
                sv[b] = (1.0 + delta) / sv[b];
            }
            between[v] += total;
        }
        int64_t below = d + 2 < levels ? starts[d + 2] : level.len;
        for (int64_t i = starts[d + 1]; i < below; i++) next[level.vertex[i]] = 0;
        for (int64_t i = starts[d]; i < starts[d + 1]; i++) next[level.vertex[i]] = level.mask[i];
    }
    status = 0;
done:
    free(seen);
    free(next);
    free(rows);
    free(fresh);
    free(level.vertex);
    free(level.mask);
    free(starts);
    return status;
}

static int get(PyObject *obj, Py_buffer *view, const char *format, int writable, const char *name) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) return -1;
    if (view->ndim != 1 || view->itemsize != (Py_ssize_t)(format[0] == 'i' ? 4 : 8) ||
        (strcmp(view->format, format) != 0 && !(format[0] == 'q' && strcmp(view->format, "l") == 0))) {
        PyErr_Format(PyExc_TypeError, "%s: expected a 1-d array of format '%s'", name, format);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static PyObject *py_sweep(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *result = NULL;
    PyObject *o_ptr, *o_adj, *o_src, *o_bet, *o_har;
    long long W = 64;
    if (!PyArg_ParseTuple(args, "OOOOO|L", &o_ptr, &o_adj, &o_src, &o_bet, &o_har, &W)) return NULL;
    Py_buffer ptr, adj, src, bet, har;
    if (get(o_ptr, &ptr, "q", 0, "ptr") < 0) return NULL;
    if (get(o_adj, &adj, "i", 0, "adj") < 0) goto e1;
    if (get(o_src, &src, "q", 0, "sources") < 0) goto e2;
    if (get(o_bet, &bet, "d", 1, "between") < 0) goto e3;
    if (get(o_har, &har, "d", 1, "harmonic") < 0) goto e4;
    int64_t n = ptr.len / 8 - 1, m = adj.len / 4, k = src.len / 8;
    const int64_t *p = ptr.buf, *s = src.buf;
    const int32_t *a = adj.buf;
    if (n < 0 || bet.len / 8 != n || har.len / 8 != n || p[0] != 0 || p[n] != m) {
        PyErr_SetString(PyExc_ValueError, "ptr, between and harmonic must describe n people");
        goto e5;
    }
    if (k > W) {
        PyErr_Format(PyExc_ValueError, "at most %d sources per sweep, got %lld", WIDTH, (long long)k);
        goto e5;
    }
    for (int64_t v = 0; v < n; v++)
        if (p[v + 1] < p[v]) { PyErr_SetString(PyExc_ValueError, "ptr must not decrease"); goto e5; }
    for (int64_t e = 0; e < m; e++)
        if (a[e] < 0 || a[e] >= n) { PyErr_SetString(PyExc_ValueError, "adj names an unknown person"); goto e5; }
    for (int64_t i = 0; i < k; i++)
        if (s[i] < 0 || s[i] >= n) { PyErr_SetString(PyExc_ValueError, "an unknown source"); goto e5; }
    int status;
    Py_BEGIN_ALLOW_THREADS
    status = sweep(W, n, p, a, k, s, bet.buf, har.buf);
    Py_END_ALLOW_THREADS
    if (status) PyErr_NoMemory();
    else result = Py_NewRef(Py_None);
e5:
    PyBuffer_Release(&har);
e4:
    PyBuffer_Release(&bet);
e3:
    PyBuffer_Release(&src);
e2:
    PyBuffer_Release(&adj);
e1:
    PyBuffer_Release(&ptr);
    return result;
}

static PyMethodDef methods[] = {
    {"sweep", py_sweep, METH_VARARGS,
     "sweep(ptr, adj, sources, between, harmonic): add the betweenness dependencies and the "
     "harmonic sums of up to 64 sources (see the module's source)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_sweep", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__sweep(void) { return PyModule_Create(&module); }
