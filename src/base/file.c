/* file: whole-file reads within the size limit, and atomic output through a
 * temporary file in the same directory renamed into place at the end. */
#include "base.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *qj_file_read(qj_ctx *ctx, const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;
	char *d;
	size_t n;

	if (!fp) {
		qj_error(ctx, path, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)) {
		qj_error(ctx, path, 0, "not a regular file");
		fclose(fp);
		return NULL;
	}
	if ((size_t)st.st_size > qj_ctx_limits(ctx)->max_file_bytes) {
		qj_error(ctx, path, 0, "file is %lld bytes, over the limit of %zu",
			 (long long)st.st_size,
			 qj_ctx_limits(ctx)->max_file_bytes);
		fclose(fp);
		return NULL;
	}
	d = qj_malloc(ctx, (size_t)st.st_size + 1);
	if (!d) {
		fclose(fp);
		return NULL;
	}
	n = fread(d, 1, (size_t)st.st_size, fp);
	fclose(fp);
	d[n] = 0;
	if (len)
		*len = n;
	return d;
}

char *qj_tmp_path_near(qj_ctx *ctx, const char *path)
{
	size_t n = strlen(path);
	char *tmp = qj_malloc(ctx, n + 16);
	int fd;
	if (!tmp)
		return NULL;
	snprintf(tmp, n + 16, "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		qj_error(ctx, path, 0, "cannot create a temporary file: %s",
			 strerror(errno));
		qj_free(ctx, tmp);
		return NULL;
	}
	/* mkstemp makes 0600; the finished file gets the usual mode */
	{
		mode_t um = umask(0);
		umask(um);
		if (fchmod(fd, 0666 & ~um) < 0) {
			/* keep 0600 rather than fail the document */
		}
	}
	close(fd);
	return tmp;
}

int qj_out_open(qj_ctx *ctx, qj_out *o, const char *path)
{
	memset(o, 0, sizeof *o);
	o->tmp = qj_tmp_path_near(ctx, path);
	if (!o->tmp)
		return -1;
	o->path = qj_strdup(ctx, path);
	o->fp = fopen(o->tmp, "wb");
	if (!o->path || !o->fp) {
		qj_out_abort(ctx, o);
		return -1;
	}
	return 0;
}

int qj_out_commit(qj_ctx *ctx, qj_out *o)
{
	int bad = 0;
	if (o->fp && (ferror(o->fp) | fclose(o->fp)))
		bad = 1;
	o->fp = NULL;
	if (bad || rename(o->tmp, o->path) < 0) {
		qj_error(ctx, o->path, 0, "cannot write: %s", strerror(errno));
		qj_out_abort(ctx, o);
		return -1;
	}
	qj_free(ctx, o->tmp);
	qj_free(ctx, o->path);
	o->tmp = o->path = NULL;
	return 0;
}

void qj_out_abort(qj_ctx *ctx, qj_out *o)
{
	if (o->fp)
		fclose(o->fp);
	if (o->tmp)
		unlink(o->tmp);
	qj_free(ctx, o->tmp);
	qj_free(ctx, o->path);
	memset(o, 0, sizeof *o);
}
