/* test_box: the vocabulary table and its parsers, and the box tree built
 * from a small flow: box kinds, styles inherited and resolved to numbers,
 * source locations as structs, the flow freed before the boxes are read. */
#include "qjtest.h"

#include <math.h>

#include "box/box.h"
#include "box/vocab.h"
#include "xml/xml.h"

static void test_box__vocab_values(void **state)
{
	qj_value v;
	char why[200];
	const qj_vattr *a;
	(void)state;
	assert_true(qj_vocab_is_element("block"));
	assert_false(qj_vocab_is_element("blok"));
	assert_false(qj_vocab_is_element("for-each")); /* control, not flow */
	a = qj_vocab_attr("block", "size");
	assert_non_null(a);
	assert_int_equal(qj_vocab_parse(a, "20mm", &v, why, sizeof why), 0);
	assert_true(fabs(v.len.v - 56.693) < 0.001 && !v.len.pct && v.len.set);
	assert_int_equal(qj_vocab_parse(a, "50%", &v, why, sizeof why), 0);
	assert_true(v.len.pct && v.len.v == 50);
	assert_int_equal(qj_vocab_parse(a, "12pz", &v, why, sizeof why), -1);
	assert_string_equal(why, "is not a length (12pt, 20mm, 1.5cm, 1in or 50%)");
	assert_int_equal(qj_vocab_parse(a, "-3pt", &v, why, sizeof why), -1);
	/* allowed values are named */
	a = qj_vocab_attr("span", "weight");
	assert_int_equal(qj_vocab_parse(a, "blod", &v, why, sizeof why), -1);
	assert_string_equal(why, "is not normal or bold");
	assert_int_equal(qj_vocab_parse(a, "bold", &v, why, sizeof why), 0);
	assert_int_equal(v.index, 1);
	/* list's style is its own, not the text style */
	a = qj_vocab_attr("list", "style");
	assert_int_equal(a->id, QJ_A_LIST_STYLE);
	assert_int_equal(qj_vocab_parse(a, "italic", &v, why, sizeof why), -1);
	assert_string_equal(why, "is not decimal, bullet, dash or none");
	/* elements without text style take none of it */
	assert_null(qj_vocab_attr("image", "font"));
	assert_null(qj_vocab_attr("block", "colour"));
	a = qj_vocab_attr("page-master", "margin");
	assert_int_equal(qj_vocab_parse(a, "10mm 20pt", &v, why, sizeof why), 0);
	assert_true(v.lengths[0].v == v.lengths[2].v && v.lengths[1].v == 20 && v.lengths[3].v == 20);
	assert_int_equal(qj_vocab_parse(a, "1 2 3 4 5", &v, why, sizeof why), -1);
	a = qj_vocab_attr("table", "widths");
	assert_int_equal(qj_vocab_parse(a, "30mm, 25% 2*", &v, why, sizeof why), 0);
	assert_int_equal(v.widths.n, 3);
	assert_true(v.widths.kind[0] == 0 && v.widths.kind[1] == 1 && v.widths.kind[2] == 2);
	assert_true(v.widths.v[2] == 2);
	a = qj_vocab_attr("block", "color");
	assert_int_equal(qj_vocab_parse(a, "navy", &v, why, sizeof why), 0);
	assert_true(fabs(v.rgb[0] - 0x1f / 255.0) < 1e-9);
	assert_int_equal(qj_vocab_parse(a, "#12345", &v, why, sizeof why), -1);
	a = qj_vocab_attr("block", "line-height");
	assert_int_equal(qj_vocab_parse(a, "6", &v, why, sizeof why), -1);
	assert_string_equal(why, "is not a factor from 0.5 to 5");
	a = qj_vocab_attr("page-master", "size");
	assert_int_equal(qj_vocab_parse(a, "100mm 50mm", &v, why, sizeof why), 0);
	assert_int_equal(qj_vocab_parse(a, "A6", &v, why, sizeof why), -1);
}

static const char FLOW[] =
	"<document lang='ru' title='T' font='sans' size='10pt'>\n"
	"<page-master name='p' size='A5' orientation='landscape' margin='10mm 20pt'>"
	"<footer><block><page-number/></block></footer></page-master>\n"
	"<page-sequence master='p'>\n"
	"<block size='150%' weight='bold' space-before='2mm' keep-with-next='always' bookmark='B'>"
	"Аб <span style='italic' color='#ff0000'>вг</span><br/>д</block>\n"
	"<list style='dash' start='3'><item label='*'>а</item><item>б</item></list>\n"
	"<table widths='20mm 1*' border='0'><header><row shading='lightgray'><cell>h</cell>"
	"<cell shading='white'>h2</cell></row></header>\n<row><cell span='2' align='right'>x</cell></row></table>\n"
	"<rule/><space height='5mm'/><page-break/><image src='x.png' width='50%'/>\n"
	"</page-sequence></document>";

static void test_box__tree_and_styles(void **state)
{
	qj_ctx *ctx = qj_ctx_new();
	qj_arena *a = qj_arena_new(ctx);
	xmlDocPtr d;
	const qj_box *doc, *m, *seq, *b, *p, *t, *list, *tab, *hdr, *row, *c;
	(void)state;
	qj_diag_set_sink(ctx, NULL);
	qj_xml_init();
	d = qj_xml_load_memory(ctx, "flow.xml", FLOW, sizeof FLOW - 1);
	assert_non_null(d);
	doc = qj_box_build(ctx, a, d);
	xmlFreeDoc(d); /* nothing in the boxes points into the flow */
	if (!doc)
		fail_msg("%s", qj_diag_text(ctx));
	assert_int_equal(doc->kind, QJ_BOX_DOCUMENT);
	assert_string_equal(doc->u.doc.title, "T");
	assert_string_equal(doc->style->lang, "ru");
	assert_string_equal(doc->style->family, "sans");
	assert_true(doc->style->size == 10);

	/* the page master: numbers, landscape swapped, CSS margins, footer */
	m = doc->first;
	assert_int_equal(m->kind, QJ_BOX_PAGE_MASTER);
	assert_string_equal(m->u.master.name, "p");
	assert_true(fabs(m->u.master.width - 595.276) < 1e-6);
	assert_true(fabs(m->u.master.height - 419.528) < 1e-6);
	assert_true(fabs(m->u.master.mt - 28.346) < 0.001 && m->u.master.mr == 20);
	assert_true(m->u.master.footer_h == 28 && m->u.master.header_h == 0);
	assert_non_null(m->u.master.footer);
	assert_int_equal(m->u.master.footer->kind, QJ_BOX_REGION);
	p = m->u.master.footer->first->first; /* block → paragraph */
	assert_int_equal(p->kind, QJ_BOX_PARAGRAPH);
	assert_int_equal(p->first->kind, QJ_BOX_PAGE_NUMBER);

	seq = m->next;
	assert_int_equal(seq->kind, QJ_BOX_PAGE_SEQUENCE);
	assert_string_equal(seq->u.seq.master, "p");
	assert_ptr_equal(seq->style, doc->style); /* nothing changed: shared */

	/* a block: its size 150% of 10pt, bold, inherited family */
	b = seq->first;
	assert_int_equal(b->kind, QJ_BOX_BLOCK);
	assert_int_equal(b->loc.line, 4);
	assert_string_equal(b->loc.file, "flow.xml");
	assert_true(b->style->size == 15 && b->style->bold && !b->style->italic);
	assert_string_equal(b->style->family, "sans");
	assert_true(b->u.block.space_before.set && !b->u.block.space_after.set);
	assert_true(b->u.block.keep_with_next && !b->u.block.keep_together);
	assert_string_equal(b->u.block.bookmark, "B");
	assert_int_equal(b->u.block.bookmark_level, 1);
	p = b->first;
	assert_int_equal(p->kind, QJ_BOX_PARAGRAPH);
	assert_ptr_equal(p->next, NULL);
	t = p->first;
	assert_int_equal(t->kind, QJ_BOX_TEXT);
	assert_string_equal(t->text, "Аб ");
	t = t->next;
	assert_int_equal(t->kind, QJ_BOX_SPAN);
	assert_true(t->style->italic && t->style->bold && t->style->color[0] == 1 &&
		    t->style->color[1] == 0 && t->style->size == 15);
	assert_string_equal(t->first->text, "вг");
	assert_int_equal(t->next->kind, QJ_BOX_BR);
	assert_string_equal(t->next->next->text, "д");

	list = b->next;
	assert_int_equal(list->kind, QJ_BOX_LIST);
	assert_int_equal(list->u.list.style, QJ_LIST_DASH);
	assert_int_equal(list->u.list.start, 3);
	assert_false(list->style->italic);
	assert_string_equal(list->first->text, "*");
	assert_null(list->first->next->text);
	assert_int_equal(list->first->first->kind, QJ_BOX_PARAGRAPH);

	/* a table: widths parsed, header part, row shading given to cells */
	tab = list->next;
	assert_int_equal(tab->kind, QJ_BOX_TABLE);
	assert_int_equal(tab->u.table.widths->n, 2);
	assert_true(tab->u.table.border.set && tab->u.table.border.v == 0);
	assert_false(tab->u.table.padding.set);
	hdr = tab->first;
	assert_int_equal(hdr->kind, QJ_BOX_TABLE_HEADER);
	row = hdr->first;
	assert_int_equal(row->kind, QJ_BOX_ROW);
	c = row->first;
	assert_int_equal(c->kind, QJ_BOX_CELL);
	assert_true(c->u.cell.shaded && fabs(c->u.cell.shade[0] - 0xe6 / 255.0) < 1e-9);
	assert_true(c->next->u.cell.shaded && c->next->u.cell.shade[0] == 1);
	row = hdr->next;
	assert_int_equal(row->kind, QJ_BOX_ROW);
	assert_int_equal(row->loc.line, 7);
	assert_int_equal(row->first->u.cell.span, 2);
	assert_int_equal(row->first->style->align, QJ_ALIGN_RIGHT);
	assert_int_equal(row->first->first->kind, QJ_BOX_PARAGRAPH);

	b = tab->next;
	assert_int_equal(b->kind, QJ_BOX_RULE);
	assert_false(b->u.rule.thickness.set);
	b = b->next;
	assert_int_equal(b->kind, QJ_BOX_SPACE);
	assert_true(fabs(b->u.space.v - 14.173) < 0.001);
	b = b->next;
	assert_int_equal(b->kind, QJ_BOX_PAGE_BREAK);
	b = b->next;
	assert_int_equal(b->kind, QJ_BOX_IMAGE);
	assert_string_equal(b->u.image.src, "x.png");
	assert_true(b->u.image.width.pct && b->u.image.width.v == 50);
	assert_null(b->next);
	qj_arena_free(a);
	qj_ctx_free(ctx);
}

/* Everything wrong in a flow is reported, each at its line, and no boxes. */
static void test_box__errors_all_reported(void **state)
{
	qj_ctx *ctx = qj_ctx_new();
	qj_arena *a = qj_arena_new(ctx);
	const char *flow = "<document>\n<page-master name='p' margin='200mm'/>\n"
			   "<page-sequence>\n<block shading='pink'><span><block/></span></block>\n"
			   "<list><row/></list>\n<table><cell/><row><block/></row></table>\n"
			   "<image/><block size='900pt'/>\n</page-sequence></document>";
	xmlDocPtr d;
	const char *t;
	(void)state;
	qj_diag_set_sink(ctx, NULL);
	qj_xml_init();
	d = qj_xml_load_memory(ctx, "flow.xml", flow, strlen(flow));
	assert_non_null(d);
	assert_null(qj_box_build(ctx, a, d));
	xmlFreeDoc(d);
	t = qj_diag_text(ctx);
	assert_non_null(strstr(t, "flow.xml:2: error: margins leave less than one inch for the body"));
	assert_non_null(strstr(t, "flow.xml:4: error: attribute 'shading' of <block>: 'pink' is not a colour"));
	assert_non_null(strstr(t, "flow.xml:4: error: <block> inside <span>: only text"));
	assert_non_null(strstr(t, "flow.xml:5: error: <row> inside <list>: only <item> is allowed"));
	assert_non_null(strstr(t, "flow.xml:6: error: <cell> inside <table>: use <header>, <body> or <row>"));
	assert_non_null(strstr(t, "flow.xml:6: error: <block> inside <row>: only <cell> is allowed"));
	assert_non_null(strstr(t, "flow.xml:7: error: <image> needs src"));
	assert_non_null(strstr(t, "flow.xml:7: error: font size 900.0pt is out of range"));
	assert_int_equal(qj_diag_errors(ctx), 8);
	qj_arena_free(a);
	qj_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_box__vocab_values),
		cmocka_unit_test(test_box__tree_and_styles),
		cmocka_unit_test(test_box__errors_all_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
