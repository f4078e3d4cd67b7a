/* bench_handouts: personalized handouts of a 3-card pack (standards/002.xml
 * cards 13, 14, 15) for rosters of 10, 100 and 1000 trainees (made from
 * examples/roster.xml with numbered serials), one PDF per trainee into a
 * directory, through build/qujat; then 100 trainees into one PDF. Prints
 * wall time, trainees and pages per second and peak memory (max RSS):
 * memory must stay flat as the roster grows when writing a directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static double now(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* A roster of n trainees in path: the course of examples/roster.xml. */
static int make_roster(const char *path, int n)
{
	FILE *fp = fopen(path, "w");
	int i;
	if (!fp)
		return -1;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<roster lang=\"kk\" issued=\"2026-11-20\" city=\"Астана\">\n"
	      "  <organization>«Әлеуметтік қызметкерлердің біліктілігін арттыру орталығы» ЖШС</organization>\n"
	      "  <programme hours=\"72\" from=\"2026-11-02\" to=\"2026-11-20\">Әлеуметтік жұмыс: "
	      "кейс-менеджмент және отбасылармен жеке жұмыс</programme>\n"
	      "  <signer role=\"director\" name=\"Гүлнар Серікқызы Әлімжанова\"/>\n", fp);
	for (i = 1; i <= n; i++)
		fprintf(fp, "  <person serial=\"ҚЖ-2026-%05d\" name=\"Тыңдаушы %d Қайратқызы Өмірбекова\"/>\n",
			i, i);
	fputs("</roster>\n", fp);
	return fclose(fp);
}

/* The pages of a PDF (pdfinfo), 0 when unknown. */
static int pages_of(const char *pdf)
{
	char cmd[2048];
	FILE *fp;
	int n = 0;
	snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>/dev/null | sed -n 's/^Pages: *//p'", pdf);
	if ((fp = popen(cmd, "r"))) {
		if (fscanf(fp, "%d", &n) != 1)
			n = 0;
		pclose(fp);
	}
	return n;
}

/* Runs cmd, timing it; the child's max RSS into *rss_mib. */
static int timed(const char *cmd, double *secs, double *rss_mib)
{
	struct rusage ru;
	double t0 = now();
	int st;
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &st, 0, &ru) < 0)
		return -1;
	*secs = now() - t0;
	*rss_mib = (double)ru.ru_maxrss / 1024.0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *bin = argc > 1 ? argv[1] : "build/qujat";
	static const int sizes[] = {10, 100, 1000};
	const char *tmp = getenv("TMPDIR");
	char cmd[8192], qbin[1024], dir[1024], roster[1100], pdf[1200];
	double t, rss;
	size_t k;
	int rc = 0, per, n;

	if (!realpath(bin, qbin)) {
		fprintf(stderr, "bench: no %s\n", bin);
		return 1;
	}
	snprintf(dir, sizeof dir, "%s/qj-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror(dir);
		return 1;
	}
	snprintf(roster, sizeof roster, "%s/roster.xml", dir);
	printf("handouts of standards/002.xml cards 13,14,15, one PDF per trainee into a directory\n");
	printf("%9s %7s %9s %11s %9s %12s\n", "trainees", "pages", "seconds", "trainees/s", "pages/s",
	       "max RSS MiB");
	for (k = 0; k < sizeof sizes / sizeof *sizes && !rc; k++) {
		n = sizes[k];
		if (make_roster(roster, n) < 0) {
			rc = 1;
			break;
		}
		snprintf(cmd, sizeof cmd,
			 "rm -rf '%s/out' && exec %s handouts standards/002.xml --cards 13,14,15 "
			 "--roster '%s' -o '%s/out/' >/dev/null", dir, qbin, roster, dir);
		if (timed(cmd, &t, &rss) < 0) {
			fprintf(stderr, "bench: qujat handouts failed\n");
			rc = 1;
			break;
		}
		/* every copy has the same pages (the names differ, not the cards) */
		snprintf(pdf, sizeof pdf, "%s/out/ҚЖ-2026-00001.pdf", dir);
		per = pages_of(pdf);
		printf("%9d %7d %9.2f %11.1f %9.1f %12.1f\n", n, per * n, t, n / t, per * n / t, rss);
	}
	/* one PDF for the whole roster: built in memory */
	if (!rc && make_roster(roster, 100) == 0) {
		snprintf(pdf, sizeof pdf, "%s/all.pdf", dir);
		snprintf(cmd, sizeof cmd,
			 "exec %s handouts standards/002.xml --cards 13,14,15 --roster '%s' -o '%s' >/dev/null",
			 qbin, roster, pdf);
		if (timed(cmd, &t, &rss) < 0) {
			fprintf(stderr, "bench: qujat handouts -o FILE failed\n");
			rc = 1;
		} else {
			n = pages_of(pdf);
			printf("one PDF: %d trainees, %d pages, %.2f s, %.1f pages/s, max RSS %.1f MiB\n", 100,
			       n, t, n / t, rss);
		}
	}
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
