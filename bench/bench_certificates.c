/* bench_certificates: renders rosters of 100, 1000 and 3000 people through
 * build/qujat and prints wall time, pages per second, the output size and
 * the peak memory of the run, so growth with batch size shows. */
#include <limits.h>
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

int main(int argc, char **argv)
{
	const char *bin = argc > 1 ? argv[1] : "build/qujat";
	static const int sizes[] = {100, 1000, 3000};
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX];
	size_t k;
	/* a private directory under $TMPDIR, removed at the end */
	snprintf(dir, sizeof dir, "%s/qj-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror(dir);
		return 1;
	}
	printf("%8s %10s %10s %12s %12s\n", "people", "seconds", "pages/s", "pdf KiB", "max RSS MiB");
	for (k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		char roster[PATH_MAX + 16], pdf[PATH_MAX + 16];
		FILE *fp;
		struct rusage ru;
		double t0, t;
		long size;
		int i, st;
		pid_t pid;
		snprintf(roster, sizeof roster, "%s/roster.xml", dir);
		snprintf(pdf, sizeof pdf, "%s/out.pdf", dir);
		fp = fopen(roster, "w");
		if (!fp) {
			perror(roster);
			return 1;
		}
		fprintf(fp, "<roster lang=\"kk\" issued=\"2026-11-20\"><organization>Орталық</organization>"
			"<programme hours=\"72\">Денсаулық сақтау саласындағы әлеуметтік жұмыс</programme>"
			"<signer role=\"director\" name=\"Г. С. Әлімжанова\"/>\n");
		for (i = 0; i < sizes[k]; i++)
			fprintf(fp, "<person serial=\"ҚЖ-%05d\" name=\"Әсел Қайратқызы Өмірбекова %d\"/>\n", i, i);
		fprintf(fp, "</roster>\n");
		fclose(fp);
		t0 = now();
		pid = fork();
		if (pid == 0) {
			execl(bin, bin, "certificates", roster, "-o", pdf, (char *)NULL);
			_exit(127);
		}
		wait4(pid, &st, 0, &ru);
		t = now() - t0;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "bench: qujat failed\n");
			unlink(roster);
			rmdir(dir);
			return 1;
		}
		fp = fopen(pdf, "rb");
		fseek(fp, 0, SEEK_END);
		size = ftell(fp);
		fclose(fp);
		printf("%8d %10.2f %10.1f %12ld %12.1f\n", sizes[k], t, sizes[k] / t, size / 1024,
		       (double)ru.ru_maxrss / 1024.0);
		unlink(roster);
		unlink(pdf);
	}
	rmdir(dir);
	return 0;
}
