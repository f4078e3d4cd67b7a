/* replay: runs a fuzz harness over its corpus (fuzz/corpus/NAME/, NAME
 * being the program's name, or the directories given as arguments) in the
 * ordinary test run, without libFuzzer. Exit 0 when every input ran. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;
	if (!d) {
		fprintf(stderr, "replay: cannot open %s\n", dir);
		return -1;
	}
	while ((de = readdir(d))) {
		char path[4096];
		FILE *fp;
		long len;
		uint8_t *buf;
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		fp = fopen(path, "rb");
		if (!fp)
			continue;
		fseek(fp, 0, SEEK_END);
		len = ftell(fp);
		fseek(fp, 0, SEEK_SET);
		buf = malloc((size_t)len + 1);
		if (buf && fread(buf, 1, (size_t)len, fp) == (size_t)len) {
			LLVMFuzzerTestOneInput(buf, (size_t)len);
			n++;
		}
		free(buf);
		fclose(fp);
	}
	closedir(d);
	printf("replay: %s: %d inputs\n", dir, n);
	return n;
}

int main(int argc, char **argv)
{
	char dir[4096];
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	int i;
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (run_dir(argv[i]) < 0)
				return 1;
		return 0;
	}
	snprintf(dir, sizeof dir, "fuzz/corpus/%s", name);
	return run_dir(dir) > 0 ? 0 : 1;
}
