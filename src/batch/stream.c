/* stream: the items of a data file, one small document each. An XML file
 * is read with libxml2's xmlTextReader (the reader frees what it has read
 * past, so memory does not grow with the file); the root and its non-item
 * children are the header, copied once, and each item is handed out as a
 * new document holding a copy of the header and that one item. A document
 * already in memory (a spreadsheet roster) is split the same way. */
#include "batch/batch.h"

#include <errno.h>
#include <libxml/xmlreader.h>
#include <string.h>
#include <unistd.h>

#include "text/text.h"
#include "xml/xml.h"

struct qj_stream {
	qj_ctx *ctx;
	const qj_doc_kind *kind;
	char *path;
	int fd;
	xmlTextReaderPtr reader;  /* NULL when splitting a document */
	xmlDocPtr src;            /* the document split (spreadsheet), or NULL */
	xmlNodePtr next_src;      /* its next item */
	xmlDocPtr header;         /* the root with its non-item children */
	xmlDocPtr cur;            /* the document of the last item */
	int header_done;          /* the header normalized (once, at the first item) */
	char lang[16];            /* the language text is normalized in */
	long index;
	int errors, done, started;
	/* the input read through io_read: checked to be UTF-8 as it comes */
	long long offset;         /* bytes read so far */
	int line;                 /* lines so far */
	unsigned char ibuf[65536];
	int ipos, ilen, ncarry;   /* ibuf[ilen..ilen+ncarry): a character cut by a read */
	int io_failed;            /* io_read reported; libxml2's echo is dropped */
};

/* Reader errors → diagnostics at the file's line. */
static void on_reader_error(void *data, xmlErrorPtr err)
{
	qj_stream *s = data;
	char msg[1024];
	size_t n;
	if (!err || s->io_failed)
		return;
	snprintf(msg, sizeof msg, "%s", err->message ? err->message : "XML error");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = 0;
	if (err->level == XML_ERR_WARNING) {
		qj_diag(s->ctx, QJ_WARNING, s->path, err->line, 0, "%s", msg);
		return;
	}
	s->errors++;
	qj_diag(s->ctx, QJ_ERROR, s->path, err->line, 0, "%s", msg);
}

static qj_stream *stream_new(qj_ctx *ctx, const qj_doc_kind *kind, const char *path)
{
	qj_stream *s = qj_calloc(ctx, 1, sizeof *s);
	if (!s)
		return NULL;
	s->ctx = ctx;
	s->kind = kind;
	s->fd = -1;
	s->path = qj_strdup(ctx, path ? path : "-");
	snprintf(s->lang, sizeof s->lang, "kk");
	if (!s->path) {
		qj_free(ctx, s);
		return NULL;
	}
	return s;
}

/* libxml2's read callback: bytes of the file, checked to be UTF-8 as
 * qj_xml_load checks a whole file (the message names the line and the
 * byte offset of the first bad sequence). */
/* Refills ibuf: the characters cut by the last read first, then as much
 * of the file as fits, checked up to the last whole character. */
static int io_fill(qj_stream *s)
{
	ssize_t n;
	int i, k, total;
	uint32_t cp;

	memmove(s->ibuf, s->ibuf + s->ilen, (size_t)s->ncarry);
	do
		n = read(s->fd, s->ibuf + s->ncarry, sizeof s->ibuf - (size_t)s->ncarry);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		qj_error(s->ctx, s->path, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	total = s->ncarry + (int)n;
	s->ncarry = 0;
	s->ipos = 0;
	for (i = 0; i < total; i += k) {
		int need = s->ibuf[i] < 0x80 ? 1 : s->ibuf[i] >= 0xF0 ? 4 : s->ibuf[i] >= 0xE0 ? 3 : 2;
		if (n > 0 && i + need > total) {
			s->ncarry = total - i; /* cut by the read: for the next one */
			break;
		}
		k = (int)qj_utf8_next((const char *)s->ibuf + i, (size_t)(total - i), &cp);
		if (!k) {
			qj_error(s->ctx, s->path, s->line + 1,
				 "invalid UTF-8 at byte offset %lld (byte 0x%02X)", s->offset + i,
				 s->ibuf[i]);
			return -1;
		}
		s->line += s->ibuf[i] == '\n';
	}
	s->ilen = i;
	s->offset += i;
	return i;
}

/* libxml2's read callback: bytes of the file, checked to be UTF-8 as
 * qj_xml_load checks a whole file (the message names the line and the
 * byte offset of the first bad sequence). */
static int io_read(void *ctx, char *out, int len)
{
	qj_stream *s = ctx;
	int n;
	if (s->io_failed)
		return -1;
	if (s->ipos == s->ilen && io_fill(s) < 0) {
		s->io_failed = 1;
		s->errors++;
		return -1;
	}
	n = s->ilen - s->ipos < len ? s->ilen - s->ipos : len;
	memcpy(out, s->ibuf + s->ipos, (size_t)n);
	s->ipos += n;
	return n;
}

static int io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* Whether the prolog of the file at fd (read with pread, the offset left
 * alone) has a DOCTYPE, or is too long to tell: such a file is loaded whole
 * by qj_xml_load, which refuses entity declarations at the SAX level and
 * DOCTYPEs with the messages of every other input. */
static int prolog_has_doctype(int fd)
{
	char buf[65536];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	const char *p = buf, *e;
	if (n <= 0)
		return 0;
	buf[n] = 0;
	if (!strncmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	for (;;) {
		p += strspn(p, " \t\r\n");
		if (!strncmp(p, "<?", 2))
			e = strstr(p, "?>");
		else if (!strncmp(p, "<!--", 4))
			e = strstr(p, "-->");
		else
			return !strncmp(p, "<!", 2) || !*p;
		if (!e)
			return 1;
		p = e + 2;
	}
}

qj_stream *qj_stream_open(qj_ctx *ctx, const qj_doc_kind *kind, const char *path,
			  const char *lang)
{
	/* the options of qj_xml_load: no network, no entities expanded, big
	 * line numbers */
	int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
	qj_stream *s = stream_new(ctx, kind, path);

	if (!s)
		return NULL;
	if (lang)
		snprintf(s->lang, sizeof s->lang, "%s", lang);
	if ((s->fd = qj_file_open(ctx, path, QJ_FILE_DATA, NULL)) >= 0 &&
	    prolog_has_doctype(s->fd)) {
		xmlDocPtr d = qj_xml_load(ctx, path);
		qj_stream_free(s);
		if (!d)
			return NULL;
		/* a DOCTYPE without declarations that qj_xml_load let through */
		return qj_stream_from_doc(ctx, kind, d);
	}
	if (s->fd < 0 ||
	    !(s->reader = xmlReaderForIO(io_read, io_close, s, path, "UTF-8", opts))) {
		if (s->fd >= 0)
			qj_error(ctx, path, 0, "out of memory opening an XML reader");
		qj_stream_free(s);
		return NULL;
	}
	xmlTextReaderSetStructuredErrorHandler(s->reader, on_reader_error, s);
	return s;
}

qj_stream *qj_stream_from_doc(qj_ctx *ctx, const qj_doc_kind *kind, xmlDocPtr doc)
{
	qj_stream *s = stream_new(ctx, kind, doc && doc->URL ? (const char *)doc->URL : NULL);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL, c;
	if (!s || !root) {
		xmlFreeDoc(doc);
		qj_free(ctx, s ? s->path : NULL);
		qj_free(ctx, s);
		return NULL;
	}
	s->src = doc;
	{
		char *own = qj_doc_lang_attr(kind, root);
		if (own && strlen(own) < sizeof s->lang)
			snprintf(s->lang, sizeof s->lang, "%s", own);
		xmlFree(own);
	}
	/* the header: the root without its items */
	s->header = xmlNewDoc((const xmlChar *)"1.0");
	if (s->header) {
		xmlNodePtr h = xmlDocCopyNode(root, s->header, 2);
		xmlDocSetRootElement(s->header, h);
		if (h)
			h->line = root->line;
		s->header->URL = xmlStrdup(doc->URL);
		for (c = root->children; c && h; c = c->next)
			if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, kind->item))
				xmlAddChild(h, xmlDocCopyNode(c, s->header, 1));
			else if (c->type == XML_ELEMENT_NODE && !s->next_src)
				s->next_src = c;
	}
	s->started = 1;
	return s;
}

void qj_stream_free(qj_stream *s)
{
	if (!s)
		return;
	if (s->reader)
		xmlFreeTextReader(s->reader);
	if (s->fd >= 0)
		close(s->fd);
	xmlFreeDoc(s->src);
	xmlFreeDoc(s->header);
	xmlFreeDoc(s->cur);
	qj_free(s->ctx, s->path);
	qj_free(s->ctx, s);
}

xmlDocPtr qj_stream_header(qj_stream *s)
{
	return s ? s->header : NULL;
}

/* The line of a node the reader built: libxml2 keeps lines past 65,535 of
 * elements (with XML_PARSE_BIG_LINES) only in a text child; an item with
 * none gets the line of its last attribute's value, else 65,535. */
static int node_line(xmlNodePtr n)
{
	long l = xmlGetLineNo(n);
	return l > 0 ? (int)l : 0;
}

/* The header's root, copied from the reader's root element (attributes). */
static int start_header(qj_stream *s, xmlNodePtr root)
{
	char *own;
	if (strcmp((const char *)root->name, s->kind->root)) {
		qj_error(s->ctx, s->path, node_line(root), "expected <%s>, not <%s>", s->kind->root,
			 (const char *)root->name);
		return -1;
	}
	if (!(s->header = xmlNewDoc((const xmlChar *)"1.0")))
		return -1;
	s->header->URL = xmlStrdup((const xmlChar *)s->path);
	xmlDocSetRootElement(s->header, xmlDocCopyNode(root, s->header, 2));
	if (xmlDocGetRootElement(s->header))
		xmlDocGetRootElement(s->header)->line = root->line;
	/* the data's text is in the data's language */
	own = qj_doc_lang_attr(s->kind, xmlDocGetRootElement(s->header));
	if (own && strlen(own) < sizeof s->lang)
		snprintf(s->lang, sizeof s->lang, "%s", own);
	xmlFree(own);
	return xmlDocGetRootElement(s->header) ? 0 : -1;
}

/* The next item's element from the reader, expanded (owned by the reader
 * until it moves on); header elements on the way are copied into the
 * header. NULL at the end or after an error. */
static xmlNodePtr reader_next_item(qj_stream *s)
{
	xmlTextReaderPtr r = s->reader;
	int rc;
	for (;;) {
		xmlNodePtr n;
		int type, depth;
		/* after an expanded element, skip its subtree */
		rc = s->started ? xmlTextReaderNext(r) : xmlTextReaderRead(r);
		s->started = 1;
		if (rc <= 0 || s->errors)
			break;
		type = xmlTextReaderNodeType(r);
		depth = xmlTextReaderDepth(r);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			s->errors++;
			qj_error(s->ctx, s->path, 1, "DOCTYPE declarations are not allowed");
			return NULL;
		}
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		if (depth == 0) {
			/* the root: its attributes, then step inside */
			if (start_header(s, xmlTextReaderCurrentNode(r)) < 0) {
				s->errors++;
				return NULL;
			}
			s->started = 0;
			continue;
		}
		if (depth != 1 || !(n = xmlTextReaderExpand(r)))
			continue;
		/* the value limits of every other input (xml/load.c) */
		if (qj_xml_check_limits(s->ctx, s->path, n, 2)) {
			s->errors++;
			return NULL;
		}
		if (!strcmp((const char *)n->name, s->kind->item))
			return n;
		if (s->index > 0) {
			s->errors++;
			qj_error(s->ctx, s->path, node_line(n),
				 "<%s> after the first <%s>: what all of them share comes before them",
				 (const char *)n->name, s->kind->item);
			return NULL;
		}
		xmlAddChild(xmlDocGetRootElement(s->header), xmlDocCopyNode(n, s->header, 1));
	}
	if (rc < 0 && !s->errors) {
		s->errors++;
		qj_error(s->ctx, s->path, 0, "not an XML document");
	}
	return NULL;
}

/* The document of one item: the header and a copy of n. */
static int make_item(qj_stream *s, xmlNodePtr n, qj_item *it)
{
	xmlDocPtr d;
	xmlNodePtr root, copy;
	const char *key;

	xmlFreeDoc(s->cur);
	s->cur = NULL;
	/* the header is whole by the first item (what comes after is an
	 * error): normalized once, then copied normalized into every item's
	 * document, whose item alone is normalized; the header's warnings are
	 * said at the first item as the driver says them once anyway */
	if (!s->header_done) {
		if (qj_text_normalize_doc(s->ctx, s->header, s->lang) < 0)
			return -1;
		s->header_done = 1;
	}
	if (!(d = xmlCopyDoc(s->header, 1)))
		return -1;
	root = xmlDocGetRootElement(d);
	if (!(copy = xmlDocCopyNode(n, d, 1)) || !xmlAddChild(root, copy)) {
		xmlFreeDoc(d);
		return -1;
	}
	s->cur = d;
	if (qj_text_normalize_element(s->ctx, copy, s->lang) < 0)
		return -1;
	key = qj_xml_attr(copy, s->kind->item_key);
	it->doc = d;
	it->node = copy;
	it->key = key ? key : "";
	it->line = node_line(n);
	it->index = s->index++;
	return 1;
}

int qj_stream_next(qj_stream *s, qj_item *it)
{
	xmlNodePtr n;
	memset(it, 0, sizeof *it);
	if (s->done)
		return 0;
	if (s->src) {
		n = s->next_src;
		while (n && (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, s->kind->item)))
			n = n->next;
		if (!n) {
			s->done = 1;
			return 0;
		}
		s->next_src = n->next;
	} else if (!(n = reader_next_item(s))) {
		s->done = 1;
		if (s->errors || !s->header) {
			if (!s->errors)
				qj_error(s->ctx, s->path, 0, "not an XML document");
			return -1;
		}
		return 0;
	}
	if (make_item(s, n, it) < 0) {
		s->done = 1;
		qj_error(s->ctx, s->path, it->line, "cannot make the document of an item");
		return -1;
	}
	return 1;
}
