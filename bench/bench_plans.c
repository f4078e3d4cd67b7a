/* bench_plans: renders batches of 7, 70 and 350 work plans (the shipped
 * examples with renumbered plans) into a directory through build/qujat and
 * prints wall time, plans per second and peak memory: memory must stay flat
 * as the batch grows. */
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
	static const int copies[] = {1, 10, 50};
	const char *tmp = getenv("TMPDIR");
	char cmd[4096], qbin[1024], dir[1024];
	size_t k;
	int rc = 0;
	if (!realpath(bin, qbin)) {
		fprintf(stderr, "bench: no %s\n", bin);
		return 1;
	}
	/* a private directory under $TMPDIR, removed at the end */
	snprintf(dir, sizeof dir, "%s/qj-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror(dir);
		return 1;
	}
	printf("%8s %10s %10s %12s\n", "plans", "seconds", "plans/s", "max RSS MiB");
	for (k = 0; k < sizeof copies / sizeof *copies && !rc; k++) {
		struct rusage ru;
		double t0, t;
		int st, n;
		FILE *fp;
		snprintf(cmd, sizeof cmd,
			 "D='%s' && rm -rf \"$D/in\" \"$D/out\" && mkdir -p \"$D/in\" \"$D/out\" && "
			 "for i in $(seq 1 %d); do for f in examples/records/*.xml; do "
			 "sed \"s/number=\\\"\\([^\\\"]*\\)\\\"/number=\\\"\\1-$i\\\"/\" $f "
			 "> \"$D/in/$(basename $f .xml)-$i.xml\"; done; done", dir, copies[k]);
		if (system(cmd) != 0) {
			rc = 1;
			break;
		}
		snprintf(cmd, sizeof cmd, "ls '%s/in' | wc -l", dir);
		fp = popen(cmd, "r");
		if (!fp || fscanf(fp, "%d", &n) != 1) {
			rc = 1;
			break;
		}
		pclose(fp);
		snprintf(cmd, sizeof cmd, "exec %s plan '%s'/in/*.xml -o '%s/out' >/dev/null", qbin, dir, dir);
		t0 = now();
		if (fork() == 0) {
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
			_exit(127);
		}
		wait3(&st, 0, &ru);
		t = now() - t0;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "bench: qujat plan failed\n");
			rc = 1;
			break;
		}
		printf("%8d %10.2f %10.1f %12.1f\n", n, t, n / t, (double)ru.ru_maxrss / 1024.0);
	}
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
