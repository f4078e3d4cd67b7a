/* bench_hyphen: what hyphenation costs a line breaker. Prints, per
 * language, the time to load the dictionary once and the time per word
 * over 300 000 words (the words of a long plan, many times over), and the
 * peak memory of the run. */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>

#include "base/base.h"
#include "text/text.h"

static double now(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static const char *const words_kk[] = {
	"әлеуметтік", "жұмыскер", "отбасымен", "бірге", "жеке", "жоспар",
	"жасайды", "оның", "орындалуын", "сайын", "бақылайды", "мүгедектігі",
	"қауіпсіздік", "жауапкершілік", "«біліктілік»,", "ҚазҰУ", "2026"};
static const char *const words_ru[] = {
	"реабилитационный", "фтизиопульмонологии", "социальный", "работник",
	"составляет", "вместе", "семьёй", "индивидуальный", "план", "контролирует",
	"выполнение", "ежемесячно", "«трудоустройство»,", "ТРК-САЙ-2026", "2026"};

static int run(qj_hyphen *h, const char *lang, const char *const *w, size_t n)
{
	enum { ROUNDS = 300000 };
	unsigned char points[256];
	double t0 = now(), t_load, t;
	long total = 0;
	int i;
	if (qj_hyphen_load(h, lang) < 0)
		return -1;
	t_load = now() - t0;
	t0 = now();
	for (i = 0; i < ROUNDS; i++) {
		const char *s = w[(size_t)i % n];
		total += qj_hyphen_word(h, s, strlen(s), lang, 0, points);
	}
	t = now() - t0;
	printf("%4s %12.2f %14.3f %12.2f\n", lang, t_load * 1e3,
	       t / ROUNDS * 1e6, (double)total / ROUNDS);
	return 0;
}

int main(void)
{
	qj_ctx *ctx = qj_ctx_new();
	qj_hyphen *h = qj_hyphen_new(ctx);
	struct rusage ru;
	int rc = 0;
	printf("%4s %12s %14s %12s\n", "lang", "load ms", "µs per word",
	       "points/word");
	if (run(h, "kk", words_kk, sizeof words_kk / sizeof *words_kk) < 0 ||
	    run(h, "ru", words_ru, sizeof words_ru / sizeof *words_ru) < 0)
		rc = 1;
	qj_hyphen_free(h);
	getrusage(RUSAGE_SELF, &ru);
	printf("max RSS %.1f MiB\n", (double)ru.ru_maxrss / 1024);
	qj_ctx_free(ctx);
	return rc;
}
