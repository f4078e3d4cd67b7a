/* test_hostile: hostile inputs, paths and signals against build/qujat. Each
 * case states the diagnostic it expects, the exit code, and the files that
 * must and must not exist afterwards: outputs never replace a device, a
 * FIFO, a link or an input; a FIFO or a device given as any input is
 * refused at once; damaged images and fonts are reported at their line,
 * never a crash; a signal leaves no temporary. Every run gets its own
 * TMPDIR, which must be empty afterwards. Inputs are made at run time. */
#include "qjtest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <time.h>
#include <zlib.h>

static char bin[PATH_MAX], top[PATH_MAX - 256];

/* ---- the scratch tree of one case ------------------------------------ */

typedef struct box {
	char dir[64];   /* the case's directory */
	char tmp[128];  /* its TMPDIR */
} box;

static void box_new(box *b)
{
	qjt_tmpdir(b->dir, sizeof b->dir);
	snprintf(b->tmp, sizeof b->tmp, "%s/tmp", b->dir);
	mkdir(b->tmp, 0700);
}

/* The box goes when its case passed (a failed one stays for a look). */
static void box_done(const box *b)
{
	qjt_run r = qjt_sh("rm -rf '%s'", b->dir);
	qjt_run_free(&r);
}

static char *at(const box *b, const char *name)
{
	static char p[8][256];
	static int k;
	k = (k + 1) % 8;
	snprintf(p[k], sizeof p[k], "%s/%s", b->dir, name);
	return p[k];
}

static void put(const box *b, const char *name, const void *d, size_t n)
{
	FILE *fp = fopen(at(b, name), "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(d, 1, n, fp), n);
	fclose(fp);
}

static void puts_to(const box *b, const char *name, const char *s)
{
	put(b, name, s, strlen(s));
}

/* Runs qujat ARGS in the box (cwd, TMPDIR), within a 20 s timeout. */
static qjt_run run(const box *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static qjt_run run(const box *b, const char *fmt, ...)
{
	char args[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	return qjt_sh("cd %s && TMPDIR=%s timeout 20 %s %s", b->dir, b->tmp, bin, args);
}

/* No temporary anywhere: TMPDIR empty, no NAME.tmp.* in the box. */
static void assert_clean(const box *b)
{
	DIR *d = opendir(b->tmp);
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			fail_msg("left in TMPDIR: %s", e->d_name);
	closedir(d);
	d = opendir(b->dir);
	while ((e = readdir(d)))
		if (strstr(e->d_name, ".tmp."))
			fail_msg("temporary left: %s", e->d_name);
	closedir(d);
}

/* The run ended with code, said want on stderr, and left no temporary. */
static void expect(const box *b, qjt_run *r, int code, const char *want)
{
	if (r->code != code || (want && !strstr(r->err, want)))
		fail_msg("want exit %d and '%s', got exit %d:\n%s", code, want ? want : "",
			 r->code, r->err);
	assert_clean(b);
	qjt_run_free(r);
}

/* A one-person roster. */
static const char ROSTER[] =
	"<?xml version='1.0' encoding='UTF-8'?>\n"
	"<roster lang='kk' issued='2026-11-20' city='Астана'>\n"
	"<organization>Орталық</organization>\n"
	"<programme hours='72'>Әлеуметтік жұмыс</programme>\n"
	"<signer role='director' name='Гүлнар Әлімжанова'/>\n"
	"<person serial='1' name='Әсел Өмірбекова'/>\n"
	"</roster>\n";

static void roster(const box *b)
{
	puts_to(b, "roster.xml", ROSTER);
}

/* templates/certificate.xml with extra inserted on its own line before
 * the first <space>; returns the line extra is on. */
static int template_with(const box *b, const char *name, const char *extra)
{
	char path[PATH_MAX], *t, *p, *out;
	int line = 1;
	snprintf(path, sizeof path, "%s/templates/certificate.xml", top);
	t = qjt_slurp(path);
	assert_non_null(t);
	p = strstr(t, "<space ");
	assert_non_null(p);
	for (char *q = t; q < p; q++)
		line += *q == '\n';
	out = malloc(strlen(t) + strlen(extra) + 4);
	memcpy(out, t, (size_t)(p - t));
	sprintf(out + (p - t), "\n%s\n%s", extra, p);
	puts_to(b, name, out);
	free(out);
	free(t);
	return line + 1;
}

/* A fonts directory in the box with one family "serif" (and the fallback
 * families of fonts/fonts.xml pointing at the same face). */
static void fonts_dir(const box *b, const char *name)
{
	char cmd[PATH_MAX + 1024];
	qjt_run r;
	snprintf(cmd, sizeof cmd, "mkdir -p %s && cp %s/fonts/PTSerif-Regular.ttf %s/",
		 at(b, name), top, at(b, name));
	r = qjt_sh("%s", cmd);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
}

static void fonts_xml(const box *b, const char *name, const char *xml)
{
	char p[256];
	snprintf(p, sizeof p, "%s/fonts.xml", name);
	puts_to(b, p, xml);
}

static const char ONE_FAMILY[] =
	"<fonts>\n<family name='serif' aliases='dejavu,sans'>\n"
	"<face file='PTSerif-Regular.ttf'/>\n</family>\n</fonts>\n";

/* ---- PNG and JPEG files ---------------------------------------------- */

static size_t chunk(unsigned char *o, const char *type, const unsigned char *d,
		    size_t n, int bad_crc)
{
	uLong crc;
	o[0] = (unsigned char)(n >> 24); o[1] = (unsigned char)(n >> 16);
	o[2] = (unsigned char)(n >> 8); o[3] = (unsigned char)n;
	memcpy(o + 4, type, 4);
	if (n)
		memcpy(o + 8, d, n);
	crc = crc32(0, o + 4, (uInt)n + 4) ^ (bad_crc ? 1u : 0u);
	o[8 + n] = (unsigned char)(crc >> 24); o[9 + n] = (unsigned char)(crc >> 16);
	o[10 + n] = (unsigned char)(crc >> 8); o[11 + n] = (unsigned char)crc;
	return n + 12;
}

/* A w×h PNG of colour type ct (2 RGB, 3 palette) written to name; pixels
 * are skipped when w*h is too big, the palette left out on request. */
static void png(const box *b, const char *name, unsigned w, unsigned h, int ct,
		int plte, int bad_crc, size_t cut)
{
	unsigned char ihdr[13] = {0}, *raw, *z, *o;
	size_t bpp = ct == 2 ? 3 : 1, rawn = 0, n = 8, y;
	uLongf zn = 0;
	ihdr[0] = (unsigned char)(w >> 24); ihdr[1] = (unsigned char)(w >> 16);
	ihdr[2] = (unsigned char)(w >> 8); ihdr[3] = (unsigned char)w;
	ihdr[4] = (unsigned char)(h >> 24); ihdr[5] = (unsigned char)(h >> 16);
	ihdr[6] = (unsigned char)(h >> 8); ihdr[7] = (unsigned char)h;
	ihdr[8] = 8; ihdr[9] = (unsigned char)ct;
	if ((size_t)w * h < 1000000)
		rawn = (size_t)h * (1 + w * bpp);
	raw = calloc(1, rawn + 1);
	for (y = 0; rawn && y < h; y++)
		memset(raw + y * (1 + w * bpp) + 1, (int)(y * 7), w * bpp);
	zn = compressBound((uLong)rawn);
	z = malloc(zn);
	compress(z, &zn, raw, (uLong)rawn);
	o = malloc(zn + 1024);
	memcpy(o, "\x89PNG\r\n\x1a\n", 8);
	n += chunk(o + n, "IHDR", ihdr, 13, 0);
	if (plte)
		n += chunk(o + n, "PLTE", (const unsigned char *)"\0\0\0\377\377\377", 6, 0);
	if (rawn)
		n += chunk(o + n, "IDAT", z, zn, bad_crc);
	n += chunk(o + n, "IEND", NULL, 0, 0);
	put(b, name, o, cut && cut < n ? cut : n);
	free(o);
	free(z);
	free(raw);
}

/* tests/data/img/certificate.jpg with a comment segment after SOI. */
static void jpeg_with_comment(const box *b, const char *name, const char *comment)
{
	char path[PATH_MAX];
	FILE *fp;
	long n;
	unsigned char *d, *o;
	size_t cl = strlen(comment);
	snprintf(path, sizeof path, "%s/tests/data/img/certificate.jpg", top);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	d = malloc((size_t)n);
	assert_int_equal(fread(d, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	o = malloc((size_t)n + cl + 4);
	memcpy(o, d, 2);
	o[2] = 0xFF; o[3] = 0xFE;
	o[4] = (unsigned char)((cl + 2) >> 8); o[5] = (unsigned char)(cl + 2);
	memcpy(o + 6, comment, cl);
	memcpy(o + 6 + cl, d + 2, (size_t)n - 2);
	put(b, name, o, (size_t)n + cl + 4);
	free(o);
	free(d);
}

/* ---- outputs --------------------------------------------------------- */

static void test_hostile__output_onto_a_device(void **state)
{
	box b;
	struct stat st;
	qjt_run r;
	(void)state;
	box_new(&b);
	roster(&b);
	/* a copy of /dev/null made here: the machine's own is never touched */
	if (mknod(at(&b, "null"), S_IFCHR | 0666, makedev(1, 3)) < 0) {
		print_message("mknod: %s (needs CAP_MKNOD); skipped\n", strerror(errno));
		skip();
	}
	r = run(&b, "certificates roster.xml -o null");
	expect(&b, &r, 3, "null: error: refusing to write over a character device");
	assert_int_equal(lstat(at(&b, "null"), &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(major(st.st_rdev), 1);
	assert_int_equal(minor(st.st_rdev), 3);
	box_done(&b);
}

static void test_hostile__output_onto_a_fifo_link_or_directory(void **state)
{
	box b;
	struct stat st;
	qjt_run r;
	char *t;
	(void)state;
	box_new(&b);
	roster(&b);
	assert_int_equal(mkfifo(at(&b, "fifo"), 0644), 0);
	r = run(&b, "certificates roster.xml -o fifo");
	expect(&b, &r, 3, "fifo: error: refusing to write over a FIFO");
	assert_int_equal(lstat(at(&b, "fifo"), &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	/* a symbolic link: the link and its target stay as they were */
	puts_to(&b, "target", "keep\n");
	assert_int_equal(symlink("target", at(&b, "link")), 0);
	r = run(&b, "certificates roster.xml -o link");
	expect(&b, &r, 3, "link: error: refusing to write over a symbolic link");
	assert_int_equal(lstat(at(&b, "link"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	t = qjt_slurp(at(&b, "target"));
	assert_string_equal(t, "keep\n");
	free(t);
	/* an existing directory is where the PDFs go, one per person (issue
	 * 11: -o DIR), a directory in the way of a file name is refused */
	mkdir(at(&b, "d"), 0755);
	r = run(&b, "certificates roster.xml -q -o d");
	expect(&b, &r, 0, NULL);
	assert_true(qjt_exists(at(&b, "d/1.pdf")));
	mkdir(at(&b, "e"), 0755);
	mkdir(at(&b, "e/1.pdf"), 0755);
	r = run(&b, "certificates roster.xml -o e/");
	expect(&b, &r, 3, "1.pdf: error: refusing to write over a directory");
	box_done(&b);
}

/* -o naming an input of the run: refused, the input unchanged. */
static void expect_input_kept(const box *b, const char *input, const char *args)
{
	char *before = qjt_slurp(at(b, input)), *after, want[256];
	qjt_run r;
	assert_non_null(before);
	r = run(b, "%s", args);
	snprintf(want, sizeof want, "refusing to write over an input (");
	expect(b, &r, 3, want);
	after = qjt_slurp(at(b, input));
	assert_non_null(after);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_hostile__output_onto_an_input(void **state)
{
	box b;
	qjt_run r;
	(void)state;
	box_new(&b);
	roster(&b);
	expect_input_kept(&b, "roster.xml", "certificates roster.xml -o roster.xml");
	/* a hard link to the roster is the same file */
	assert_int_equal(link(at(&b, "roster.xml"), at(&b, "hard.pdf")), 0);
	expect_input_kept(&b, "roster.xml", "certificates roster.xml -o hard.pdf");
	template_with(&b, "t.xml", "");
	expect_input_kept(&b, "t.xml", "certificates roster.xml --template ./t.xml -o t.xml");
	fonts_dir(&b, "f");
	fonts_xml(&b, "f", ONE_FAMILY);
	expect_input_kept(&b, "f/PTSerif-Regular.ttf",
			  "certificates roster.xml --fonts f -o f/PTSerif-Regular.ttf");
	expect_input_kept(&b, "f/fonts.xml", "certificates roster.xml --fonts f -o f/fonts.xml");
	r = qjt_sh("cp %s/examples/records/elderly-alone-kk.xml %s/rec.xml && "
		   "cp %s/standards/001.xml %s/std.xml && "
		   "cp %s/tests/data/sources/003_b05b1dd4fbab55f7.txt %s/src.txt",
		   top, b.dir, top, b.dir, top, b.dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	expect_input_kept(&b, "rec.xml", "plan rec.xml -o rec.xml");
	expect_input_kept(&b, "std.xml", "card std.xml --card 1 -o std.xml");
	expect_input_kept(&b, "src.txt", "import src.txt -o src.txt");
	box_done(&b);
}

static void test_hostile__mode_is_kept(void **state)
{
	box b;
	qjt_run r;
	(void)state;
	box_new(&b);
	roster(&b);
	r = run(&b, "certificates roster.xml -o out.pdf && chmod 600 out.pdf && "
		"umask 022 && %s certificates roster.xml -o out.pdf && stat -c %%a out.pdf", bin);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, "600\n");
	qjt_run_free(&r);
	r = run(&b, "certificates roster.xml -o out.pdf && chmod 640 out.pdf && "
		"%s certificates roster.xml -o out.pdf && stat -c %%a out.pdf", bin);
	assert_string_equal(r.out, "640\n");
	expect(&b, &r, 0, NULL);
	box_done(&b);
}

static void test_hostile__full_stdout_fails(void **state)
{
	box b;
	qjt_run r;
	(void)state;
	box_new(&b);
	roster(&b);
	r = run(&b, "certificates roster.xml -o out.pdf --dump >/dev/full");
	expect(&b, &r, 3, "qujat: error: cannot write to stdout");
	/* the list of written paths of plan -o DIR */
	mkdir(at(&b, "pdir"), 0755);
	r = run(&b, "plan %s/examples/records/elderly-alone-kk.xml -o pdir >/dev/full", top);
	expect(&b, &r, 3, "cannot write to stdout");
	box_done(&b);
}

/* ---- inputs that are not regular files ------------------------------- */

static void test_hostile__fifo_as_every_input(void **state)
{
	box b;
	qjt_run r;
	int line;
	time_t t0 = time(NULL);
	(void)state;
	box_new(&b);
	roster(&b);
	assert_int_equal(mkfifo(at(&b, "fifo"), 0644), 0);
	r = run(&b, "certificates fifo -o out.pdf");
	expect(&b, &r, 2, "fifo: error: not a regular file (a FIFO)");
	r = run(&b, "certificates roster.xml --template ./fifo -o out.pdf");
	expect(&b, &r, 2, "fifo: error: not a regular file (a FIFO)");
	r = run(&b, "plan fifo -o out.pdf");
	expect(&b, &r, 2, "fifo: error: not a regular file (a FIFO)");
	r = run(&b, "card fifo --card 1 -o out.pdf");
	expect(&b, &r, 2, "fifo: error: not a regular file (a FIFO)");
	r = run(&b, "import fifo -o out.xml");
	expect(&b, &r, 2, "fifo: error: not a regular file (a FIFO)");
	r = run(&b, "validate fifo");
	expect(&b, &r, 2, "fifo: error: not a regular file (a FIFO)");
	/* fonts.xml and a face */
	mkdir(at(&b, "f"), 0755);
	assert_int_equal(mkfifo(at(&b, "f/fonts.xml"), 0644), 0);
	r = run(&b, "certificates roster.xml --fonts f -o out.pdf");
	expect(&b, &r, 2, "f/fonts.xml: error: not a regular file (a FIFO)");
	mkdir(at(&b, "g"), 0755);
	fonts_xml(&b, "g", ONE_FAMILY);
	assert_int_equal(mkfifo(at(&b, "g/PTSerif-Regular.ttf"), 0644), 0);
	r = run(&b, "certificates roster.xml --fonts g -o out.pdf");
	expect(&b, &r, 2, "fonts.xml:3: error: g/PTSerif-Regular.ttf: not a regular file (a FIFO)");
	/* an image */
	line = template_with(&b, "ti.xml", "<image src='fifo' width='10mm'/>");
	r = run(&b, "certificates roster.xml --template ./ti.xml -o out.pdf");
	{
		char want[128];
		snprintf(want, sizeof want, "ti.xml:%d: error: fifo: not a regular file (a FIFO)", line);
		expect(&b, &r, 2, want);
	}
	/* a schema: a tree of our own whose certificate.rng is a FIFO */
	r = qjt_sh("mkdir -p %s/home/templates && cp %s/templates/certificate.xml %s/home/templates/ && "
		   "ln -s %s/templates/i18n %s/home/templates/i18n && mkfifo %s/home/templates/certificate.rng",
		   b.dir, top, b.dir, top, b.dir, b.dir);
	assert_int_equal(r.code, 0);
	qjt_run_free(&r);
	r = qjt_sh("cd %s && QUJAT_HOME=%s/home TMPDIR=%s timeout 20 %s certificates roster.xml -o out.pdf",
		   b.dir, b.dir, b.tmp, bin);
	expect(&b, &r, 2, "certificate.rng: error: not a regular file (a FIFO)");
	assert_false(qjt_exists(at(&b, "out.pdf")));
	assert_false(qjt_exists(at(&b, "out.xml")));
	assert_true(time(NULL) - t0 < 60); /* none of them waited for a writer */
	box_done(&b);
}

static void test_hostile__devices_and_directories_as_input(void **state)
{
	box b;
	qjt_run r;
	(void)state;
	box_new(&b);
	roster(&b);
	r = run(&b, "certificates /dev/zero -o out.pdf");
	expect(&b, &r, 2, "/dev/zero: error: not a regular file (a character device)");
	assert_int_equal(symlink("/dev/zero", at(&b, "zero.xml")), 0);
	r = run(&b, "certificates zero.xml -o out.pdf");
	expect(&b, &r, 2, "zero.xml: error: not a regular file (a character device)");
	mkdir(at(&b, "dir.xml"), 0755);
	r = run(&b, "certificates dir.xml -o out.pdf");
	expect(&b, &r, 2, "dir.xml: error: not a regular file (a directory)");
	/* a face that is a link to /dev/zero: refused before one byte is read */
	mkdir(at(&b, "f"), 0755);
	fonts_xml(&b, "f", ONE_FAMILY);
	assert_int_equal(symlink("/dev/zero", at(&b, "f/PTSerif-Regular.ttf")), 0);
	r = run(&b, "certificates roster.xml --fonts f -o out.pdf");
	expect(&b, &r, 2, "fonts.xml:3: error: f/PTSerif-Regular.ttf: not a regular file (a character device)");
	/* a symbolic link to a regular file is an ordinary input */
	assert_int_equal(symlink("roster.xml", at(&b, "ln.xml")), 0);
	r = run(&b, "certificates ln.xml -o out.pdf");
	expect(&b, &r, 0, NULL);
	assert_true(qjt_exists(at(&b, "out.pdf")));
	box_done(&b);
}

/* ---- images ---------------------------------------------------------- */

static void expect_bad_image(const box *b, const char *file, const char *why)
{
	char img[128], want[256];
	int line;
	qjt_run r;
	snprintf(img, sizeof img, "<image src='%s' width='20mm'/>", file);
	line = template_with(b, "t.xml", img);
	r = run(b, "certificates roster.xml --template ./t.xml -o out.pdf");
	snprintf(want, sizeof want, "t.xml:%d: error: image '%s' is not a usable %s", line, file, why);
	expect(b, &r, 2, want);
	assert_false(qjt_exists(at(b, "out.pdf")));
}

static void test_hostile__damaged_images(void **state)
{
	box b;
	qjt_run r;
	static const unsigned char bogus[] = {0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00,
					      0x10, 0x00, 0x10, 0x03, 0, 0, 0, 0, 0, 0};
	(void)state;
	box_new(&b);
	roster(&b);
	png(&b, "good.png", 16, 16, 2, 0, 0, 0);
	png(&b, "trunc.png", 16, 16, 2, 0, 0, 60);
	png(&b, "huge.png", 100000, 100000, 2, 0, 0, 0);
	png(&b, "wide.png", 0x80000001u, 1, 2, 0, 0, 0);
	png(&b, "noplte.png", 16, 16, 3, 0, 0, 0);
	png(&b, "crc.png", 16, 16, 2, 0, 1, 0);
	put(&b, "bogus.jpg", bogus, sizeof bogus);
	expect_bad_image(&b, "trunc.png", "PNG image (");
	expect_bad_image(&b, "huge.png", "PNG image (100000x100000 pixels, over the limit of 10000 per side)");
	expect_bad_image(&b, "wide.png", "PNG image (");
	expect_bad_image(&b, "noplte.png", "PNG image (IDAT: Missing PLTE before IDAT)");
	expect_bad_image(&b, "crc.png", "PNG image (IDAT: CRC error)");
	expect_bad_image(&b, "bogus.jpg", "JPEG image (");
	/* nothing of libpng's own on stderr, and the good one prints */
	template_with(&b, "t.xml", "<image src='good.png' width='20mm'/>");
	r = run(&b, "certificates roster.xml --template ./t.xml -o out.pdf");
	assert_string_equal(r.err, "");
	expect(&b, &r, 0, NULL);
	r = qjt_sh("pdfimages -list %s | tail -n +3 | awk '{print $4, $5}'", at(&b, "out.pdf"));
	assert_string_equal(r.out, "16 16\n");
	qjt_run_free(&r);
	box_done(&b);
}

/* A JPEG comment holding "/ToUnicode 1 0 R" is image data, not a
 * dictionary: the catalog stays, the PDF is sound. */
static void test_hostile__jpeg_comment_is_not_a_dictionary(void **state)
{
	box b;
	qjt_run r;
	char *text;
	(void)state;
	box_new(&b);
	roster(&b);
	jpeg_with_comment(&b, "c.jpg", "<< /ToUnicode 1 0 R >> /ToUnicode 2 0 R /ToUnicode 3 0 R");
	template_with(&b, "t.xml", "<image src='c.jpg' width='20mm'/>");
	r = run(&b, "certificates roster.xml --template ./t.xml -o out.pdf");
	expect(&b, &r, 0, NULL);
	qjt_assert_pdf_sound(at(&b, "out.pdf"));
	r = qjt_sh("qpdf --show-object=trailer %s", at(&b, "out.pdf"));
	assert_non_null(strstr(r.out, "/Root"));
	qjt_run_free(&r);
	text = qjt_pdftotext(at(&b, "out.pdf"));
	assert_non_null(text);
	assert_non_null(strstr(text, "Әсел Өмірбекова"));
	free(text);
	box_done(&b);
}

/* ---- fonts ----------------------------------------------------------- */

static void expect_bad_fonts(const box *b, const char *dir, const char *want)
{
	char args[256];
	qjt_run r;
	snprintf(args, sizeof args, "certificates roster.xml --fonts %s -o out.pdf", dir);
	r = run(b, "%s", args);
	expect(b, &r, 2, want);
	assert_false(qjt_exists(at(b, "out.pdf")));
}

static void test_hostile__damaged_fonts(void **state)
{
	box b;
	qjt_run r;
	char xml[8192];
	size_t n = 0;
	int i;
	(void)state;
	box_new(&b);
	roster(&b);
	mkdir(at(&b, "e"), 0755);
	fonts_xml(&b, "e", "<fonts>\n<family name=\"serif\"/></fonts>\n");
	expect_bad_fonts(&b, "e", "e/fonts.xml:2: error: font family 'serif' has no <face>");
	fonts_dir(&b, "m");
	n += (size_t)snprintf(xml + n, sizeof xml - n, "<fonts>\n");
	for (i = 0; i < 65; i++)
		n += (size_t)snprintf(xml + n, sizeof xml - n,
				      "<family name='f%d'><face file='PTSerif-Regular.ttf'/></family>\n", i);
	snprintf(xml + n, sizeof xml - n, "</fonts>\n");
	fonts_xml(&b, "m", xml);
	expect_bad_fonts(&b, "m", "m/fonts.xml:66: error: more than 64 font families");
	/* truncated faces: refused at their line, never replaced by another */
	for (i = 0; i < 2; i++) {
		const char *d = i ? "t2" : "t1";
		fonts_dir(&b, d);
		fonts_xml(&b, d, ONE_FAMILY);
		r = qjt_sh("truncate -s %s %s/%s/PTSerif-Regular.ttf", i ? "200K" : "5K", b.dir, d);
		qjt_run_free(&r);
		expect_bad_fonts(&b, d, "fonts.xml:3: error: face 'PTSerif-Regular.ttf' is not a usable font (");
	}
	/* outside the directory: one message whether the file exists or not */
	fonts_dir(&b, "o");
	fonts_xml(&b, "o", "<fonts>\n<family name='serif'>\n<face file='../roster.xml'/>\n</family>\n</fonts>\n");
	expect_bad_fonts(&b, "o", "o/fonts.xml:3: error: face '../roster.xml' is not a path inside the fonts directory");
	fonts_xml(&b, "o", "<fonts>\n<family name='serif'>\n<face file='../nothing.ttf'/>\n</family>\n</fonts>\n");
	expect_bad_fonts(&b, "o", "o/fonts.xml:3: error: face '../nothing.ttf' is not a path inside the fonts directory");
	fonts_xml(&b, "o", "<fonts>\n<family name='serif'>\n<face file='/etc/passwd'/>\n</family>\n</fonts>\n");
	expect_bad_fonts(&b, "o", "o/fonts.xml:3: error: face '/etc/passwd' is not a path inside the fonts directory");
	/* the same directory with a sound face works */
	fonts_xml(&b, "o", ONE_FAMILY);
	r = run(&b, "certificates roster.xml --fonts o -o out.pdf");
	expect(&b, &r, 0, NULL);
	qjt_assert_pdf_sound(at(&b, "out.pdf"));
	box_done(&b);
}

/* ---- numbers --------------------------------------------------------- */

/* <list start> near INT_MAX would overflow while numbering: refused. */
static void test_hostile__list_start_overflow(void **state)
{
	box b;
	qjt_run r;
	char want[160];
	int line;
	(void)state;
	box_new(&b);
	roster(&b);
	line = template_with(&b, "t.xml", "<list start='2147483647'><item>a</item><item>b</item></list>");
	r = run(&b, "certificates roster.xml --template ./t.xml -o out.pdf");
	snprintf(want, sizeof want, "t.xml:%d: error: attribute 'start' of <list>: '2147483647' is not a whole number", line);
	expect(&b, &r, 2, want);
	assert_false(qjt_exists(at(&b, "out.pdf")));
	box_done(&b);
}

static void test_hostile__numbers_past_2_53(void **state)
{
	box b;
	qjt_run r;
	char *s, *p;
	(void)state;
	box_new(&b);
	s = strdup(ROSTER);
	p = strstr(s, "hours='72'");
	assert_non_null(p);
	{
		char big[2048];
		snprintf(big, sizeof big, "%.*shours='99999999999999999999999'%s", (int)(p - s), s,
			 p + strlen("hours='72'"));
		puts_to(&b, "roster.xml", big);
	}
	free(s);
	r = run(&b, "certificates roster.xml -o out.pdf");
	/* never the wrong digits: either refused or not printed */
	/* refused by the roster's rules (hours 1..10000) before the number
	 * service's own limit (2^53) is reached */
	assert_int_equal(r.code, 2);
	assert_true(strstr(r.err, "is too large to print exactly") ||
		    strstr(r.err, "are not a whole number from 1 to 10000"));
	if (qjt_exists(at(&b, "out.pdf"))) {
		char *text = qjt_pdftotext(at(&b, "out.pdf"));
		assert_null(strstr(text, "000 030 000"));
		free(text);
	}
	assert_clean(&b);
	qjt_run_free(&r);
	box_done(&b);
}

/* ---- signals --------------------------------------------------------- */

/* Starts qujat on a big roster, waits until its temporary output exists,
 * sends sig; afterwards no temporary is left, and the output is either
 * absent or whole. Returns 1 when the signal came while the temporary
 * existed. */
static int kill_during_write(const box *b, int sig)
{
	struct timespec ms = {0, 200000};
	pid_t pid;
	int st, seen = 0, tries;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (chdir(b->dir) < 0)
			_exit(99);
		setenv("TMPDIR", b->tmp, 1);
		freopen("/dev/null", "w", stderr);
		execl(bin, bin, "certificates", "big.xml", "-o", "out.pdf", (char *)NULL);
		_exit(98);
	}
	for (tries = 0; tries < 200000 && !seen; tries++) {
		DIR *d = opendir(b->dir);
		struct dirent *e;
		while (d && (e = readdir(d)))
			if (strstr(e->d_name, "out.pdf.tmp."))
				seen = 1;
		if (d)
			closedir(d);
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		if (!seen)
			nanosleep(&ms, NULL);
	}
	if (seen) {
		kill(pid, sig);
		waitpid(pid, &st, 0);
	}
	assert_clean(b);
	if (seen && WIFSIGNALED(st)) {
		assert_int_equal(WTERMSIG(st), sig);
		if (qjt_exists(at(b, "out.pdf"))) { /* renamed just before the signal */
			qjt_run r = qjt_sh("qpdf --check %s >/dev/null", at(b, "out.pdf"));
			assert_int_equal(r.code, 0);
			qjt_run_free(&r);
		}
	}
	unlink(at(b, "out.pdf"));
	return seen && WIFSIGNALED(st);
}

static void test_hostile__signal_leaves_no_temporary(void **state)
{
	box b;
	FILE *fp;
	int i, hit = 0;
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
	(void)state;
	box_new(&b);
	fp = fopen(at(&b, "big.xml"), "w");
	assert_non_null(fp);
	fputs("<roster lang='kk' issued='2026-11-20' city='Астана'><organization>О</organization>"
	      "<programme hours='72'>Ж</programme><signer role='director' name='Г'/>\n", fp);
	for (i = 0; i < 1500; i++)
		fprintf(fp, "<person serial='%d' name='Әсел Өмірбекова %d'/>\n", i, i);
	fputs("</roster>\n", fp);
	fclose(fp);
	for (i = 0; i < 3; i++) {
		int k;
		/* the temporary lives while the PDF is saved, a few tens of
		 * milliseconds: tries until one signal lands in it (most
		 * often the first), more on a loaded machine */
		for (k = 0; k < 25; k++)
			if (kill_during_write(&b, sigs[i])) {
				hit++;
				break;
			}
	}
	/* the race was won at least once per signal, or the test says nothing */
	assert_int_equal(hit, 3);
	box_done(&b);
}

/* ---- the XML classes that already hold ------------------------------- */

static void test_hostile__xml_classes(void **state)
{
	box b;
	qjt_run r;
	char *big, *out;
	size_t i, n;
	FILE *fp;
	(void)state;
	box_new(&b);
	puts_to(&b, "secret.txt", "MARKER-4b1d");
	puts_to(&b, "bomb.xml", "<?xml version='1.0'?>\n<!DOCTYPE roster [\n<!ENTITY a 'aaaaaaaaaa'>\n"
		"<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>\n<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>\n]>\n"
		"<roster>&c;</roster>\n");
	r = run(&b, "certificates bomb.xml -o out.pdf");
	expect(&b, &r, 2, "bomb.xml:3: error: entity declaration 'a' is not allowed");
	{
		char x[1024];
		snprintf(x, sizeof x, "<?xml version='1.0'?>\n<!DOCTYPE roster [<!ENTITY x SYSTEM 'file://%s/secret.txt'>]>\n"
			 "<roster lang='kk' issued='2026-11-20'><organization>&x;</organization></roster>\n", b.dir);
		puts_to(&b, "ext.xml", x);
		snprintf(x, sizeof x, "<?xml version='1.0'?>\n<roster xmlns:xi='http://www.w3.org/2001/XInclude' "
			 "lang='kk' issued='2026-11-20'><organization><xi:include href='secret.txt' parse='text'/>"
			 "</organization><programme hours='1'>P</programme><signer role='director' name='A'/>"
			 "<person serial='1' name='B'/></roster>\n");
		puts_to(&b, "xi.xml", x);
		puts_to(&b, "ext.dtd", "<!ENTITY y SYSTEM 'secret.txt'>");
		snprintf(x, sizeof x, "<?xml version='1.0'?>\n<!DOCTYPE roster SYSTEM '%s/ext.dtd'>\n"
			 "<roster lang='kk' issued='2026-11-20'><organization>&y;</organization></roster>\n", b.dir);
		puts_to(&b, "dtd.xml", x);
	}
	r = run(&b, "certificates ext.xml -o out.pdf");
	assert_null(strstr(r.err, "MARKER"));
	assert_null(strstr(r.out, "MARKER"));
	expect(&b, &r, 2, "ext.xml:2: error: entity declaration 'x' is not allowed");
	r = run(&b, "certificates xi.xml -o out.pdf");
	assert_null(strstr(r.err, "MARKER"));
	expect(&b, &r, 2, "xi.xml:2: error:");
	r = run(&b, "certificates dtd.xml -o out.pdf");
	assert_null(strstr(r.err, "MARKER"));
	expect(&b, &r, 2, "dtd.xml:3: error:");
	assert_false(qjt_exists(at(&b, "out.pdf")));
	/* 100,000 elements deep */
	n = 100000;
	big = malloc(n * 7 + 64);
	out = big;
	for (i = 0; i < n; i++)
		out += sprintf(out, "<a>");
	for (i = 0; i < n; i++)
		out += sprintf(out, "</a>");
	put(&b, "deep.xml", big, (size_t)(out - big));
	free(big);
	r = run(&b, "certificates deep.xml -o out.pdf");
	expect(&b, &r, 2, "deep.xml:1: error:");
	/* a 50 MB text node */
	fp = fopen(at(&b, "text.xml"), "w");
	fputs("<roster><organization>", fp);
	big = malloc(1 << 20);
	memset(big, 'x', 1 << 20);
	for (i = 0; i < 50; i++)
		fwrite(big, 1, 1 << 20, fp);
	free(big);
	fputs("</organization></roster>\n", fp);
	fclose(fp);
	r = run(&b, "certificates text.xml -o out.pdf");
	expect(&b, &r, 2, "text.xml:1: error:");
	puts_to(&b, "utf8.xml", "<roster>\n<organization>\xC3\x28</organization></roster>\n");
	r = run(&b, "certificates utf8.xml -o out.pdf");
	expect(&b, &r, 2, "utf8.xml:2: error: invalid UTF-8 at byte offset 23 (byte 0xC3)");
	put(&b, "utf16.xml", "\xFF\xFE<\0r\0/\0>\0", 10);
	r = run(&b, "certificates utf16.xml -o out.pdf");
	expect(&b, &r, 2, "utf16.xml:1: error: invalid UTF-8 at byte offset 0 (byte 0xFF)");
	put(&b, "nul.xml", "<roster>\n<organization>a\0b</organization></roster>\n", 50);
	r = run(&b, "certificates nul.xml -o out.pdf");
	expect(&b, &r, 2, "nul.xml:2: error:");
	assert_false(qjt_exists(at(&b, "out.pdf")));
	box_done(&b);
}

/* ---- issue 10, findings 9 to 18 --------------------------------------- */

/* Every line on stderr is qujat's: "FILE:LINE: error|warning: ..." or
 * "NAME: error: ..." (no raw library message). */
static void assert_all_qujat(const char *err)
{
	const char *l = err;
	while (*l) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)n, l);
		if (!strstr(line, ": error: ") && !strstr(line, ": warning: ") &&
		    strncmp(line, "usage:", 6) && strncmp(line, "(qujat help", 11))
			fail_msg("not a qujat diagnostic: '%s'", line);
		l += n + (e != NULL);
	}
}

static int count_of(const char *s, const char *what)
{
	int n = 0;
	for (; (s = strstr(s, what)); s += strlen(what))
		n++;
	return n;
}

/* A three-person roster whose city is on its own line (line 3). */
static const char ROSTER3[] =
	"<?xml version='1.0' encoding='UTF-8'?>\n"
	"<roster lang='kk' issued='2026-11-20'\n"
	"        city='Астана'>\n"
	"<organization>Орталық</organization>\n"
	"<programme hours='72'>Әлеуметтік жұмыс</programme>\n"
	"<signer role='director' name='Гүлнар Әлімжанова'/>\n"
	"<person serial='1' name='Әсел Өмірбекова'/>\n"
	"<person serial='2' name='Ерғали Құдайбергенов'/>\n"
	"<person serial='3' name='Гүлжан Шәріпова'/>\n"
	"</roster>\n";

/* #10: an error inside a q: function fails the run, once per value, at the
 * data attribute's own line. */
static void test_hostile__q_function_errors_count(void **state)
{
	box b;
	qjt_run r;
	(void)state;
	box_new(&b);
	puts_to(&b, "roster.xml", ROSTER3);
	template_with(&b, "t.xml", "<block><value select=\"q:date(/roster/@city)\"/></block>");
	r = run(&b, "certificates roster.xml --template ./t.xml -o out.pdf");
	assert_int_equal(count_of(r.err, "q:date:"), 1);
	assert_all_qujat(r.err);
	expect(&b, &r, 2, "roster.xml:3: error: q:date: 'Астана' is not a date (YYYY-MM-DD or DD.MM.YYYY)");
	assert_false(qjt_exists(at(&b, "out.pdf")));
	/* #11 through a template: past 2^53, with the file and line */
	template_with(&b, "n.xml", "<block><value select=\"q:number(/roster/programme/@hours * 1e20)\"/></block>");
	r = run(&b, "certificates roster.xml --template ./n.xml -o out.pdf");
	expect(&b, &r, 2, "roster.xml:7: error: q:number: the number '7.2e+21' is too large to print exactly");
	assert_false(qjt_exists(at(&b, "out.pdf")));
	box_done(&b);
}

/* #18: unknown functions and undefined variables are found when the
 * template is loaded, in a branch no data takes; every message is
 * qujat's, once. */
static void test_hostile__xpath_names_checked_at_load(void **state)
{
	box b;
	qjt_run r;
	int line;
	char want[256];
	(void)state;
	box_new(&b);
	roster(&b);
	line = template_with(&b, "t.xml", "<if test=\"false()\"><block><value select=\"nope(1) + $undefined\"/>"
			     "<value select=\"q:nope()\"/></block></if>");
	r = run(&b, "certificates roster.xml --template ./t.xml -o out.pdf");
	assert_all_qujat(r.err);
	snprintf(want, sizeof want, "t.xml:%d: error: XPath: unknown function nope() in 'nope(1) + $undefined'", line);
	assert_non_null(strstr(r.err, want));
	assert_non_null(strstr(r.err, "error: XPath: undefined variable $undefined in"));
	assert_int_equal(count_of(r.err, "error:"), 3);
	expect(&b, &r, 2, "error: XPath: unknown function q:nope() in 'q:nope()'");
	/* a wrong number of arguments, at run time: named, no raw message */
	template_with(&b, "a.xml", "<block><value select=\"substring-before()\"/></block>");
	r = run(&b, "certificates roster.xml --template ./a.xml -o out.pdf");
	assert_all_qujat(r.err);
	assert_int_equal(count_of(r.err, "error:"), 1);
	expect(&b, &r, 2, "error: XPath: wrong number of arguments of a function in 'substring-before()'");
	assert_false(qjt_exists(at(&b, "out.pdf")));
	box_done(&b);
}

/* #15: five nested sorts keyed on the whole document (four times: each
 * person is a document of its own, src/batch) stop at the memory limit
 * within seconds (the run has 20 s), reported as such. */
static void test_hostile__template_memory_limit(void **state)
{
	box b;
	qjt_run r;
	char t[2048];
	size_t n = 0;
	int i;
	(void)state;
	box_new(&b);
	puts_to(&b, "roster.xml", ROSTER3);
	for (i = 0; i < 5; i++)
		n += (size_t)snprintf(t + n, sizeof t - n, "<for-each select=\"//node()|//@*\" "
				      "sort=\"concat(string(/),string(/),string(/),string(/),.)\">");
	n += (size_t)snprintf(t + n, sizeof t - n, "<block>x</block>");
	for (i = 0; i < 5; i++)
		n += (size_t)snprintf(t + n, sizeof t - n, "</for-each>");
	template_with(&b, "t.xml", t);
	r = run(&b, "certificates roster.xml --template ./t.xml -o out.pdf");
	assert_all_qujat(r.err);
	assert_int_equal(count_of(r.err, "error:"), 1);
	expect(&b, &r, 2, "error: the template needs more than 256 MiB (");
	assert_false(qjt_exists(at(&b, "out.pdf")));
	box_done(&b);
}

/* #16 and #18: an attribute over the value limit, a text node over 10 MB:
 * one qujat message each. */
static void test_hostile__long_attribute_and_text(void **state)
{
	box b;
	qjt_run r;
	char *big, *doc;
	size_t n = (2u << 20);
	(void)state;
	box_new(&b);
	big = malloc(n + 1);
	memset(big, 'a', n);
	big[n] = 0;
	doc = malloc(n + 1024);
	snprintf(doc, n + 1024, "<?xml version='1.0'?>\n<roster lang='kk' issued='2026-11-20'>\n"
		 "<organization>O</organization><programme hours='1'>P</programme>\n"
		 "<person serial='1'\n name='%s'/>\n</roster>\n", big);
	puts_to(&b, "roster.xml", doc);
	r = run(&b, "certificates roster.xml -o out.pdf");
	assert_int_equal(count_of(r.err, "error:"), 1);
	expect(&b, &r, 2, "roster.xml:5: error: attribute 'name' of <person>: value of 2097152 bytes "
	       "is over the limit of 1048576");
	free(doc);
	free(big);
	{
		FILE *fp = fopen(at(&b, "text.xml"), "w");
		size_t i;
		big = malloc(1 << 20);
		memset(big, 'x', 1 << 20);
		fputs("<roster>\n<organization>", fp);
		for (i = 0; i < 11; i++)
			fwrite(big, 1, 1 << 20, fp);
		fputs("</organization></roster>\n", fp);
		fclose(fp);
		free(big);
	}
	r = run(&b, "validate text.xml");
	assert_int_equal(count_of(r.err, "error:"), 1);
	assert_null(strstr(r.err, "Extra content"));
	expect(&b, &r, 2, "text.xml:2: error: text of more than 1048576 bytes is over the limit of 1048576");
	/* garbage after the root element */
	puts_to(&b, "tail.xml", "<roster lang='kk' issued='2026-11-20'/>\ngarbage\n");
	r = run(&b, "validate tail.xml");
	expect(&b, &r, 2, "tail.xml:2: error: Extra content at the end of the document");
	box_done(&b);
}

/* #12: page sizes within what PDF allows. */
static void test_hostile__page_size_bounds(void **state)
{
	static const char *const sizes[] = {"1e9 1e9", "nan nan", "inf 100", "10 10", "201in 10in"};
	box b;
	size_t i;
	(void)state;
	box_new(&b);
	roster(&b);
	for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		char path[PATH_MAX], *t, *p, *o, want[256];
		int line;
		qjt_run r;
		snprintf(path, sizeof path, "%s/templates/certificate.xml", top);
		t = qjt_slurp(path);
		p = strstr(t, "size=\"A4\"");
		assert_non_null(p);
		o = malloc(strlen(t) + 64);
		line = 1;
		for (char *q = t; q < p; q++)
			line += *q == '\n';
		sprintf(o, "%.*ssize=\"%s\"%s", (int)(p - t), t, sizes[i], p + strlen("size=\"A4\""));
		puts_to(&b, "t.xml", o);
		free(o);
		free(t);
		r = run(&b, "certificates roster.xml --template ./t.xml -o out.pdf");
		snprintf(want, sizeof want, "./t.xml:%d: error: attribute 'size' of <page-master>: '%s' is "
			 "not A3, A4, A5, letter or 'WIDTH HEIGHT' (each from 1in to 200in)", line, sizes[i]);
		assert_all_qujat(r.err);
		expect(&b, &r, 2, want);
		assert_false(qjt_exists(at(&b, "out.pdf")));
	}
	box_done(&b);
}

/* #14: --shard overflow, an invalid QUJAT_TODAY. */
static void test_hostile__shard_and_today(void **state)
{
	box b;
	qjt_run r;
	(void)state;
	box_new(&b);
	roster(&b);
	r = run(&b, "certificates roster.xml --shard 1/4294967298 -o out.pdf");
	expect(&b, &r, 1, "--shard wants K/N with 1 <= K <= N, not '1/4294967298'");
	r = run(&b, "certificates roster.xml --shard 1/2x -o out.pdf");
	expect(&b, &r, 1, "--shard wants K/N");
	assert_false(qjt_exists(at(&b, "out.pdf")));
	r = qjt_sh("cd %s && QUJAT_TODAY=2026-13-01 TMPDIR=%s timeout 20 %s plan %s/examples/records/"
		   "elderly-alone-kk.xml -o out.pdf", b.dir, b.tmp, bin, top);
	assert_int_equal(count_of(r.err, "error:"), 1);
	expect(&b, &r, 2, "QUJAT_TODAY: error: '2026-13-01' is not a date (YYYY-MM-DD)");
	assert_false(qjt_exists(at(&b, "out.pdf")));
	box_done(&b);
}

/* #9 and #17: characters that cannot be printed as written. */
static void test_hostile__unprintable_characters(void **state)
{
	box b;
	qjt_run r;
	char *s, *p, doc[4096];
	(void)state;
	box_new(&b);
	s = strdup(ROSTER);
	p = strstr(s, "name='Әсел Өмірбекова'");
	assert_non_null(p);
#define WITH_NAME(n) snprintf(doc, sizeof doc, "%.*sname='%s'%s", (int)(p - s), s, n, \
			     p + strlen("name='Әсел Өмірбекова'"))
	/* above U+FFFF: the PDF writer drops it: said, the rest prints */
	WITH_NAME("Әсел 😀 𝐀");
	puts_to(&b, "roster.xml", doc);
	r = run(&b, "certificates roster.xml -o out.pdf");
	assert_non_null(strstr(r.err, "U+1D400, and above U+FFFF the PDF writer"));
	expect(&b, &r, 0, "roster.xml:6: warning: U+1F600 is above U+FFFF: the PDF writer (libharu 2.3) "
	       "cannot hold it; it is left out");
	assert_true(qjt_exists(at(&b, "out.pdf")));
	/* nothing but such characters: an error */
	WITH_NAME("😀 𝐀");
	puts_to(&b, "roster.xml", doc);
	r = run(&b, "certificates roster.xml -o out.pdf");
	expect(&b, &r, 2, "roster.xml:6: error: the text '😀 𝐀' would print as nothing");
	unlink(at(&b, "out.pdf"));
	/* a name no font can print: an error, not a blank certificate */
	WITH_NAME("王小明");
	puts_to(&b, "roster.xml", doc);
	r = run(&b, "certificates roster.xml -o out.pdf");
	assert_non_null(strstr(r.err, "roster.xml:6: warning: no font has U+738B"));
	expect(&b, &r, 2, "roster.xml:6: error: the text '王小明' would print as nothing");
	assert_false(qjt_exists(at(&b, "out.pdf")));
	/* right to left: printed, with one warning per script */
	WITH_NAME("محمد שלום Әсел");
	puts_to(&b, "roster.xml", doc);
	r = run(&b, "certificates roster.xml -o out.pdf");
	assert_int_equal(count_of(r.err, "is written right to left"), 2);
	assert_non_null(strstr(r.err, "roster.xml:6: warning: U+05E9: Hebrew is written right to left"));
	expect(&b, &r, 0, "roster.xml:6: warning: U+0645: Arabic is written right to left; qujat "
	       "prints it left to right, letters unjoined");
	assert_true(qjt_exists(at(&b, "out.pdf")));
	/* many missing characters: once each, then a count */
	{
		char name[3000];
		size_t i, n = 0;
		for (i = 0; i < 200; i++)
			n += (size_t)sprintf(name + n, "Ә王");
		WITH_NAME(name);
	}
	puts_to(&b, "roster.xml", doc);
	r = run(&b, "certificates roster.xml -o out.pdf");
	assert_int_equal(count_of(r.err, "no font has U+738B"), 1);
	assert_true(count_of(r.err, "\n") <= 3);
	expect(&b, &r, 0, "roster.xml:6: warning: ... and 199 more of U+738B");
#undef WITH_NAME
	free(s);
	box_done(&b);
}

/* #13: a NUL byte in an import source; the importer's self-check; and
 * mangled versions of 003, each either refused (exit 2, a diagnostic, no
 * file) or written as XML that validate accepts. */
static void test_hostile__import_checks_itself(void **state)
{
	box b;
	qjt_run r;
	char src[PATH_MAX], *d;
	size_t len, i, nl = 0, *lines;
	int cases = 0, refused = 0;
	(void)state;
	box_new(&b);
	snprintf(src, sizeof src, "%s/tests/data/sources/003_b05b1dd4fbab55f7.txt", top);
	d = qjt_slurp(src);
	assert_non_null(d);
	len = strlen(d);
	/* NUL on line 3 */
	{
		char *m = malloc(len + 1);
		size_t at3 = (size_t)(strchr(strchr(d, '\n') + 1, '\n') - d) + 3;
		memcpy(m, d, len);
		m[at3] = 0;
		put(&b, "nul.txt", m, len);
		free(m);
		r = run(&b, "import nul.txt -o out.xml");
		{
			char want[128];
			snprintf(want, sizeof want, "nul.txt:3: error: NUL byte at byte offset %zu", at3);
			expect(&b, &r, 2, want);
		}
		assert_false(qjt_exists(at(&b, "out.xml")));
	}
	/* the self-check: a data directory whose schema takes no standard */
	{
		qjt_run m = qjt_sh("mkdir -p %s/home/standards && printf '%%s' '<element name=\"nothing\" "
				   "xmlns=\"http://relaxng.org/ns/structure/1.0\"><empty/></element>' "
				   "> %s/home/standards/standard.rng", b.dir, b.dir);
		assert_int_equal(m.code, 0);
		qjt_run_free(&m);
		r = qjt_sh("cd %s && QUJAT_HOME=%s/home TMPDIR=%s timeout 20 %s import %s -o out.xml",
			   b.dir, b.dir, b.tmp, bin, src);
		assert_non_null(strstr(r.err, "(imported):"));
		expect(&b, &r, 2, "error: the import of this text is not a valid standard (the problems "
		       "above); nothing was written");
		assert_false(qjt_exists(at(&b, "out.xml")));
	}
	/* mangled versions */
	lines = malloc(sizeof *lines * (len + 1));
	for (i = 0; i < len; i++)
		if (d[i] == '\n')
			lines[nl++] = i;
	for (i = 0; i < 48; i++) {
		char *m = malloc(len + 8), *x;
		size_t n = len, a = lines[(i * 37 + 11) % nl], c = lines[(i * 37 + 12) % nl];
		switch (i % 6) {
		case 0: /* truncated */
			n = len * (i + 1) / 50;
			memcpy(m, d, n);
			break;
		case 1: /* a line deleted */
			memcpy(m, d, a);
			memcpy(m + a, d + c, len - c);
			n = len - (c - a);
			break;
		case 2: { /* a line swapped with the next */
			size_t e = lines[(i * 37 + 13) % nl];
			if (e <= c || c <= a) {
				memcpy(m, d, len);
				break;
			}
			memcpy(m, d, a);
			memcpy(m + a, d + c, e - c);
			memcpy(m + a + (e - c), d + a, c - a);
			memcpy(m + e, d + e, len - e);
			break;
		}
		case 3: /* NUL */
			memcpy(m, d, len);
			m[a + 1] = 0;
			break;
		case 4: /* bad UTF-8 */
			memcpy(m, d, len);
			m[a + 1] = (char)0xC3;
			m[a + 2] = '(';
			break;
		default: /* a line doubled */
			memcpy(m, d, c);
			memcpy(m + c, d + a, c - a < 8 ? c - a : 8);
			memcpy(m + c + (c - a < 8 ? c - a : 8), d + c, len - c);
			n = len + (c - a < 8 ? c - a : 8);
			break;
		}
		put(&b, "m.txt", m, n);
		free(m);
		x = at(&b, "m.xml");
		unlink(x);
		r = run(&b, "import m.txt -o m.xml");
		cases++;
		if (r.code == 0) {
			qjt_run v = run(&b, "validate m.xml");
			if (v.code != 0)
				fail_msg("mangled case %zu imported into XML validate refuses:\n%s", i, v.err);
			qjt_run_free(&v);
			qjt_run_free(&r);
		} else {
			refused++;
			if (!strstr(r.err, "error:"))
				fail_msg("mangled case %zu: exit %d with no diagnostic", i, r.code);
			assert_false(qjt_exists(x));
			expect(&b, &r, 2, "error:");
		}
	}
	assert_int_equal(cases, 48);
	assert_true(refused > 0);
	free(lines);
	free(d);
	box_done(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile__output_onto_a_device),
		cmocka_unit_test(test_hostile__output_onto_a_fifo_link_or_directory),
		cmocka_unit_test(test_hostile__output_onto_an_input),
		cmocka_unit_test(test_hostile__mode_is_kept),
		cmocka_unit_test(test_hostile__full_stdout_fails),
		cmocka_unit_test(test_hostile__fifo_as_every_input),
		cmocka_unit_test(test_hostile__devices_and_directories_as_input),
		cmocka_unit_test(test_hostile__damaged_images),
		cmocka_unit_test(test_hostile__jpeg_comment_is_not_a_dictionary),
		cmocka_unit_test(test_hostile__damaged_fonts),
		cmocka_unit_test(test_hostile__list_start_overflow),
		cmocka_unit_test(test_hostile__numbers_past_2_53),
		cmocka_unit_test(test_hostile__signal_leaves_no_temporary),
		cmocka_unit_test(test_hostile__xml_classes),
		cmocka_unit_test(test_hostile__q_function_errors_count),
		cmocka_unit_test(test_hostile__xpath_names_checked_at_load),
		cmocka_unit_test(test_hostile__template_memory_limit),
		cmocka_unit_test(test_hostile__long_attribute_and_text),
		cmocka_unit_test(test_hostile__page_size_bounds),
		cmocka_unit_test(test_hostile__shard_and_today),
		cmocka_unit_test(test_hostile__unprintable_characters),
		cmocka_unit_test(test_hostile__import_checks_itself),
	};
	char fonts[PATH_MAX + 8];
	if (!realpath(qjt_bin(), bin) || !getcwd(top, sizeof top)) {
		fprintf(stderr, "test_hostile: no binary at %s\n", qjt_bin());
		return 1;
	}
	snprintf(fonts, sizeof fonts, "%s/fonts", top);
	setenv("QUJAT_FONTS", fonts, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
