/* certificates: one certificate page per person of a roster, through
 * templates/certificate.xml. */
#include <string.h>
#include <sys/stat.h>

#include "cli/args.h"
#include "cli/cmds.h"
#include "cli/render.h"
#include "sign/sign.h"
#include "xml/xml.h"

int qj_cmd_certificates(qj_ctx *ctx, int argc, char **argv)
{
	qj_opt opts[] = {{"--output", "-o", 1, NULL}, {"--fonts", NULL, 1, NULL},
			 {"--lang", NULL, 1, NULL}, {"--template", NULL, 1, NULL},
			 {"--dump", NULL, 0, NULL}, {"--shard", NULL, 1, NULL},
			 {"--sign", NULL, 1, NULL}, {"--pass-file", NULL, 1, NULL}};
	const char *pos[1];
	qj_render_opts ro;
	qj_render_env env;
	xmlDocPtr data;
	const char *lang;
	int n, rc, expired = 0;
	qj_signer *signer = NULL;

	char shard_k[16] = "1", shard_n[16] = "1";
	const char *params[] = {"shard-k", shard_k, "shard-n", shard_n, NULL};

	n = qj_args_parse(ctx, "certificates", argc, argv, opts, 8, pos, 1);
	if (n != 1 || !opts[0].value) {
		if (n >= 0)
			qj_error(ctx, NULL, 0, "usage: qujat certificates ROSTER.xml -o OUT.pdf "
				 "[--lang kk|ru|en|kk+ru] [--shard K/N] [--fonts DIR] [--template FILE] "
				 "[--sign KEY.p12 --pass-file FILE]");
		return QJ_EXIT_USAGE;
	}
	if (opts[2].value && qj_args_lang(ctx, "certificates", opts[2].value, "kk ru en kk+ru ru+kk") < 0)
		return QJ_EXIT_USAGE;
	/* --shard K/N: the Kth of N machines prints persons K, K+N, K+2N, … */
	if (opts[5].value) {
		int k = 0, m = 0;
		char tail;
		if (sscanf(opts[5].value, "%d/%d%c", &k, &m, &tail) != 2 || m < 1 || k < 1 || k > m) {
			qj_error(ctx, NULL, 0, "certificates: --shard wants K/N with 1 <= K <= N, not '%s'",
				 opts[5].value);
			return QJ_EXIT_USAGE;
		}
		snprintf(shard_k, sizeof shard_k, "%d", k);
		snprintf(shard_n, sizeof shard_n, "%d", m);
	}
	/* the key once for the batch, before any work */
	rc = qj_render_signer(ctx, "certificates", opts[6].value, opts[7].value, &signer, &expired);
	if (rc)
		return rc;
	data = qj_data_load(ctx, pos[0], opts[2].value ? opts[2].value : "kk");
	memset(&ro, 0, sizeof ro);
	ro.template_name = opts[3].value ? opts[3].value : "certificate.xml";
	ro.fonts_dir = opts[1].value;
	ro.dump = opts[4].value != NULL;
	ro.params = params;
	ro.signer = signer;
	/* the template, labels and fonts are checked even when the data is bad,
	 * so every problem is reported in one run */
	if (qj_render_env_open(ctx, &env, &ro) < 0) {
		if (data)
			xmlFreeDoc(data);
		qj_signer_free(signer);
		return QJ_EXIT_INPUT;
	}
	if (!data || qj_render_check_data(ctx, &env, data) < 0) {
		if (data)
			xmlFreeDoc(data);
		qj_render_env_close(ctx, &env);
		qj_signer_free(signer);
		return QJ_EXIT_INPUT;
	}
	lang = opts[2].value;
	if (!lang)
		lang = qj_xml_attr(xmlDocGetRootElement(data), "lang");
	ro.lang = lang ? lang : "kk";
	rc = qj_render(ctx, &env, data, &ro, opts[0].value);
	xmlFreeDoc(data);
	qj_render_env_close(ctx, &env);
	qj_signer_free(signer);
	return rc == QJ_EXIT_OK && expired ? QJ_SIGN_EXPIRED : rc;
}
