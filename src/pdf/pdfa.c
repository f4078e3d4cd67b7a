/* pdfa: the pieces of PDF/A-1b the mender adds: the XMP packet (the same
 * strings and date as the Info dictionary, XML-escaped), dates in both
 * notations, a font program's cap height, and the CIDSet of a CIDFont. */
#include "pdf-imp.h"

#include <string.h>

/* One byte of a literal string: ( ) \\ escaped, and CR and LF, which a
 * reader would take for a line end. */
static void lit_byte(qj_buf *b, unsigned c)
{
	if (c == '(' || c == ')' || c == '\\')
		qj_buf_putc(b, '\\'), qj_buf_putc(b, (char)c);
	else if (c == '\r')
		qj_buf_puts(b, "\\r");
	else if (c == '\n')
		qj_buf_puts(b, "\\n");
	else
		qj_buf_putc(b, (char)c);
}

/* A literal string: printable ASCII as it is (PDFDocEncoding), anything
 * else as UTF-16BE bytes after the FE FF mark (half the size of hex). */
void qj_pdf_text_string(qj_buf *b, const char *s)
{
	size_t n = strlen(s), i = 0, k;
	int ascii = 1;
	for (k = 0; k < n && ascii; k++)
		ascii = (unsigned char)s[k] >= 0x20 && (unsigned char)s[k] < 0x7F;
	qj_buf_putc(b, '(');
	if (ascii) {
		for (k = 0; k < n; k++)
			lit_byte(b, (unsigned char)s[k]);
		qj_buf_putc(b, ')');
		return;
	}
	lit_byte(b, 0xFE);
	lit_byte(b, 0xFF);
	while (i < n) {
		uint32_t cp;
		unsigned u[2];
		int m = 1, j;
		k = qj_utf8_decode(s + i, n - i, &cp);
		i += k ? k : 1;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			u[0] = 0xD800 + (cp >> 10);
			u[1] = 0xDC00 + (cp & 0x3FF);
			m = 2;
		} else
			u[0] = cp;
		for (j = 0; j < m; j++) {
			lit_byte(b, u[j] >> 8);
			lit_byte(b, u[j] & 0xFF);
		}
	}
	qj_buf_putc(b, ')');
}

void qj_pdf_dates(time_t when, char pdf[32], char xmp[32])
{
	struct tm tm;
	gmtime_r(&when, &tm);
	strftime(pdf, 32, "D:%Y%m%d%H%M%S+00'00'", &tm);
	strftime(xmp, 32, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
}

/* s as XML character data: & < > escaped (the strings are free of control
 * characters already). */
static void put_xml(qj_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			qj_buf_puts(b, "&amp;");
		else if (*s == '<')
			qj_buf_puts(b, "&lt;");
		else if (*s == '>')
			qj_buf_puts(b, "&gt;");
		else
			qj_buf_putc(b, *s);
	}
}

/* A language alternative (dc:title, dc:description) with its default. */
static void put_alt(qj_buf *b, const char *name, const char *s)
{
	qj_buf_printf(b, "   <%s><rdf:Alt><rdf:li xml:lang=\"x-default\">", name);
	put_xml(b, s);
	qj_buf_printf(b, "</rdf:li></rdf:Alt></%s>\n", name);
}

static void put_simple(qj_buf *b, const char *name, const char *s)
{
	qj_buf_printf(b, "   <%s>", name);
	put_xml(b, s);
	qj_buf_printf(b, "</%s>\n", name);
}

void qj_pdf_xmp(qj_buf *b, const qj_pdf_meta *m)
{
	char pdfdate[32], xmpdate[32];
	int i;
	qj_pdf_dates(m->when, pdfdate, xmpdate);
	qj_buf_puts(b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		    " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
		    "  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
		    "   <pdfaid:part>1</pdfaid:part>\n   <pdfaid:conformance>B</pdfaid:conformance>\n"
		    "  </rdf:Description>\n"
		    "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
		    "   <dc:format>application/pdf</dc:format>\n");
	if (m->title)
		put_alt(b, "dc:title", m->title);
	if (m->author) {
		qj_buf_puts(b, "   <dc:creator><rdf:Seq><rdf:li>");
		put_xml(b, m->author);
		qj_buf_puts(b, "</rdf:li></rdf:Seq></dc:creator>\n");
	}
	if (m->subject)
		put_alt(b, "dc:description", m->subject);
	if (m->lang) {
		qj_buf_puts(b, "   <dc:language><rdf:Bag><rdf:li>");
		put_xml(b, m->lang);
		qj_buf_puts(b, "</rdf:li></rdf:Bag></dc:language>\n");
	}
	qj_buf_puts(b, "  </rdf:Description>\n"
		    "  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
	if (m->creator)
		put_simple(b, "xmp:CreatorTool", m->creator);
	put_simple(b, "xmp:CreateDate", xmpdate);
	put_simple(b, "xmp:ModifyDate", xmpdate);
	put_simple(b, "xmp:MetadataDate", xmpdate);
	qj_buf_puts(b, "  </rdf:Description>\n"
		    "  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
	if (m->producer)
		put_simple(b, "pdf:Producer", m->producer);
	qj_buf_puts(b, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n");
	/* room for an editor to change the packet in place */
	for (i = 0; i < 20; i++)
		qj_buf_puts(b, "                                                                                                   \n");
	qj_buf_puts(b, "<?xpacket end=\"w\"?>");
}

unsigned char *qj_pdf_cidset(qj_ctx *ctx, const unsigned char *map, size_t len, size_t *n)
{
	size_t cids = len / 2, last = 0, i;
	unsigned char *set;
	for (i = 1; i < cids; i++)
		if (map[2 * i] || map[2 * i + 1])
			last = i;
	*n = last / 8 + 1;
	if (!(set = qj_calloc(ctx, *n, 1)))
		return NULL;
	set[0] = 0x80; /* CID 0, .notdef */
	for (i = 1; i <= last; i++)
		if (map[2 * i] || map[2 * i + 1])
			set[i / 8] |= (unsigned char)(0x80 >> (i % 8));
	return set;
}
