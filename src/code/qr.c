/* qr: QR symbols through libqrencode (one 8-bit segment, level M), and the
 * reading back of a symbol from its exact module matrix, as the verifier
 * finds it in a PDF this build wrote. The reader needs no error correction:
 * it unmasks, follows the codeword path (ISO/IEC 18004), takes the data
 * codewords out of their blocks, and accepts the text only if encoding it
 * again gives the very same matrix. */
#include "code/code.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VERSION 20

/* ISO/IEC 18004 at level M: total codewords, error-correction codewords
 * and number of blocks, for versions 1..20. */
static const struct {
	short words, ec, blocks;
} spec_m[MAX_VERSION + 1] = {
	{0, 0, 0},       {26, 10, 1},    {44, 16, 1},    {70, 26, 1},
	{100, 36, 2},    {134, 48, 2},   {172, 64, 4},   {196, 72, 4},
	{242, 88, 4},    {292, 110, 5},  {346, 130, 5},  {404, 150, 5},
	{466, 176, 8},   {532, 198, 9},  {581, 216, 9},  {655, 240, 10},
	{733, 280, 10},  {815, 308, 11}, {901, 338, 13}, {991, 364, 14},
	{1085, 416, 16},
};

int qj_qr_fits(const char *data)
{
	/* version 20 at M holds 669 data codewords: 4 bits of mode, 16 of
	 * count, then 666 bytes */
	return strlen(data) <= 666;
}

unsigned char *qj_qr_matrix(const char *data, int *size)
{
	QRcode *c = qj_qr_fits(data) ? QRcode_encodeString8bit(data, 0, QR_ECLEVEL_M) : NULL;
	unsigned char *d = NULL;
	int i, n;
	if (c && c->version <= MAX_VERSION) {
		n = c->width * c->width;
		if ((d = malloc((size_t)n))) {
			for (i = 0; i < n; i++)
				d[i] = c->data[i] & 1;
			*size = c->width;
		}
	}
	QRcode_free(c);
	return d;
}

int qj_qr_next_run(const unsigned char *dark, int n, int *row, int *col)
{
	int run;
	for (; *row < n; (*row)++, *col = 0)
		for (; *col < n; (*col)++)
			if (dark[*row * n + *col]) {
				for (run = 0; *col + run < n && dark[*row * n + *col + run]; run++)
					;
				return run;
			}
	return 0;
}

static int masked(int mask, int i, int j)
{
	switch (mask) {
	case 0: return (i + j) % 2 == 0;
	case 1: return i % 2 == 0;
	case 2: return j % 3 == 0;
	case 3: return (i + j) % 3 == 0;
	case 4: return (i / 2 + j / 3) % 2 == 0;
	case 5: return (i * j) % 2 + (i * j) % 3 == 0;
	case 6: return ((i * j) % 2 + (i * j) % 3) % 2 == 0;
	default: return ((i + j) % 2 + (i * j) % 3) % 2 == 0;
	}
}

/* The codeword bits in path order, unmasked; func marks function modules.
 * Returns the number of bits read. */
static int read_bits(const unsigned char *dark, const unsigned char *func, int n,
		     int mask, unsigned char *bits, int max)
{
	int x, k, nb = 0, up = 1;
	for (x = n - 1; x > 0; x -= 2) {
		if (x == 6)
			x = 5; /* the vertical timing column is skipped */
		for (k = 0; k < n; k++) {
			int y = up ? n - 1 - k : k, c;
			for (c = 0; c < 2; c++) {
				int xx = x - c;
				if (func[y * n + xx] || nb >= max)
					continue;
				bits[nb++] = (unsigned char)(dark[y * n + xx] ^ masked(mask, y, xx));
			}
		}
		up = !up;
	}
	return nb;
}

/* The data codewords in order, from the interleaved stream. */
static void deinterleave(const unsigned char *cw, int version, unsigned char *data)
{
	int B = spec_m[version].blocks, D = spec_m[version].words - spec_m[version].ec;
	int short_len = D / B, nlong = D % B, b, i, k = 0, start[32];
	for (b = 0; b < B; b++)
		start[b] = b * short_len + (b > B - nlong ? b - (B - nlong) : 0);
	for (i = 0; i <= short_len; i++)
		for (b = 0; b < B; b++) {
			int len = short_len + (b >= B - nlong);
			if (i < len)
				data[start[b] + i] = cw[k++];
		}
}

/* One 8-bit segment: mode 0100, a count, the bytes. */
static char *parse_segment(qj_arena *arena, const unsigned char *data, int D, int version)
{
	int cbits = version <= 9 ? 8 : 16, pos = 4, i, count = 0;
	char *out;
#define BIT(p) ((data[(p) / 8] >> (7 - (p) % 8)) & 1)
	if (((data[0] >> 4) & 0xF) != 4)
		return NULL;
	for (i = 0; i < cbits; i++, pos++)
		count = count * 2 + BIT(pos);
	if (pos + count * 8 > D * 8)
		return NULL;
	out = qj_arena_alloc(arena, (size_t)count + 1);
	if (!out)
		return NULL;
	for (i = 0; i < count; i++) {
		int b, v = 0;
		for (b = 0; b < 8; b++, pos++)
			v = v * 2 + BIT(pos);
		out[i] = (char)v;
	}
#undef BIT
	out[count] = 0;
	return memchr(out, 0, (size_t)count) ? NULL : out;
}

char *qj_qr_decode(qj_ctx *ctx, qj_arena *arena, const unsigned char *dark, int size)
{
	int version = (size - 17) / 4, mask, i, n = size * size;
	unsigned char *func = NULL, *bits = NULL, *cw = NULL, *data = NULL;
	char *text = NULL;
	QRcode *probe;

	if (size < 21 || (size - 17) % 4 || version > MAX_VERSION)
		return NULL;
	/* which modules carry codewords: libqrencode marks the others */
	probe = QRcode_encodeString8bit("0", version, QR_ECLEVEL_M);
	func = malloc((size_t)n);
	bits = malloc((size_t)spec_m[version].words * 8);
	cw = malloc((size_t)spec_m[version].words);
	data = malloc((size_t)spec_m[version].words);
	if (!probe || probe->width != size || !func || !bits || !cw || !data)
		goto out;
	for (i = 0; i < n; i++)
		func[i] = (probe->data[i] & 0x80) != 0;
	for (mask = 0; mask < 8 && !text; mask++) {
		int nb = read_bits(dark, func, size, mask, bits, spec_m[version].words * 8);
		char *t;
		QRcode *again;
		if (nb != spec_m[version].words * 8)
			break;
		for (i = 0; i < spec_m[version].words; i++) {
			int b, v = 0;
			for (b = 0; b < 8; b++)
				v = v * 2 + bits[i * 8 + b];
			cw[i] = (unsigned char)v;
		}
		deinterleave(cw, version, data);
		t = parse_segment(arena, data, spec_m[version].words - spec_m[version].ec, version);
		if (!t)
			continue;
		/* accepted only when it is exactly the symbol this text makes */
		again = QRcode_encodeString8bit(t, 0, QR_ECLEVEL_M);
		if (again && again->width == size) {
			for (i = 0; i < n && (again->data[i] & 1) == dark[i]; i++)
				;
			if (i == n)
				text = t;
		}
		QRcode_free(again);
	}
out:
	(void)ctx;
	QRcode_free(probe);
	free(func);
	free(bits);
	free(cw);
	free(data);
	return text;
}
