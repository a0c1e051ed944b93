// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv_coretest: drives the xenpv core API from debugfs for the selftests.
 *
 * Copyright (C) 2026 The xenpv authors
 *
 * Uses only <xenpv/xenpv.h> and <xenpv/xenbus.h>, so the same tests run in
 * native and in pvops mode.  The guest scripts in selftests/guest/core/
 * write commands to the files of /sys/kernel/debug/xenpv_coretest/ and
 * read "key value" lines back; the dom0 side (tools/dom0/xenpv-core-peer)
 * talks to them through xenstore under the guest's data/xenpv-test/.
 *
 *   info     mode, versions, our domid
 *   stats    grant table counters, now and at load
 *   xs       "read PATH" | "write PATH VALUE" | "rm PATH"; reading the file
 *            gives the value of the last "read".  Writes stay below
 *            data/xenpv-test; reads may also look at device/, control/,
 *            domid and /local/domain/N/backend/.
 *   grant    "grant DOMID" (a fresh page with a nonce-keyed pattern,
 *            granted read-only) | "try-end" | "end-defer"
 *   page     the granted page's 4096 bytes
 *   evtchn   "alloc DOMID [lateeoi]" (unbound port; every event is
 *            answered with a notify) | "free"
 *   tx       "self" (a conflict made by our own write outside the
 *            transaction) | "begin" (start, read data/xenpv-test/counter)
 *            then "commit" (write counter+1; on -EAGAIN start over) |
 *            "abort"; an open transaction is aborted after tx_hold_secs
 *   watch    "arm" (watch data/xenpv-test/ping, wait for the first
 *            event) | "disarm"
 *
 * Everything is bounded in time and released on unload, which logs a
 * leak check of the grant counters.
 */
#include <linux/atomic.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <xenpv/xenpv.h>
#include <xenpv/xenbus.h>

#define CT_DIR			"data/xenpv-test"
#define CT_IRQ_NAME		"xenpv_coretest"
#define CT_CMD_MAX		512
#define CT_VALUE_MAX		128
#define CT_TX_RETRIES		20
#define CT_SELF_BUMP		1000
#define CT_WATCH_FIRST_MS	5000
#define CT_NONCE_LEN		16
#define CT_HEADER_LEN		64

static unsigned int ct_tx_hold_secs = 60;
module_param_named(tx_hold_secs, ct_tx_hold_secs, uint, 0444);
MODULE_PARM_DESC(tx_hold_secs,
		 "Abort a transaction left open by \"tx begin\" after this many seconds (1-600, default 60)");

static struct {
	struct mutex lock;		/* all state below, except where noted */
	struct dentry *dir;
	struct xenpv_gnttab_stats at_load;

	/* grant */
	struct page *page;
	grant_ref_t gref;
	unsigned int grant_domid;
	const char *last_end;
	u8 nonce[CT_NONCE_LEN];
	unsigned long grants, ended, busy, deferred;

	/* event channel; port and lateeoi are read by the handler */
	evtchn_port_t port;
	bool lateeoi;
	int irq;			/* > 0 while bound */
	unsigned int evtchn_domid;
	atomic_t events;
	atomic_t notifies;

	/* transaction */
	struct xenpv_xs_tx tx;
	bool tx_open;
	const char *tx_mode;
	unsigned int tx_value;		/* counter read inside the open tx */
	unsigned int tx_attempts;
	int tx_first_err;
	int tx_last_err;
	unsigned int tx_result;
	unsigned long tx_expired;
	unsigned long tx_deadline;	/* jiffies */
	struct delayed_work tx_expire;

	/* watch; the event fields are under watch_lock (callback context) */
	struct xenpv_watch watch;
	bool watch_armed;
	spinlock_t watch_lock;
	unsigned int watch_events;
	int watch_err;
	char watch_value[CT_VALUE_MAX];
	char watch_path[CT_VALUE_MAX];
	wait_queue_head_t watch_wq;

	/* xs */
	char *xs_result;
	unsigned int xs_len;
} ct;

/* ---- helpers -------------------------------------------------------------- */

/* @path is @prefix or lies below it. */
static bool ct_path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(path, prefix, n) && (path[n] == '\0' || path[n] == '/');
}

/* Copy @src into @dst, replacing anything not 7-bit printable. */
static void ct_copy_printable(char *dst, size_t size, const char *src,
			      size_t len)
{
	size_t i;

	if (!size)
		return;
	for (i = 0; i < len && i + 1 < size && src[i]; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[i] = '\0';
}

static bool ct_value_ok(const char *s)
{
	size_t n = strlen(s);

	if (n > CT_VALUE_MAX)
		return false;
	for (; *s; s++)
		if (*s < 0x20 || *s >= 0x7f)
			return false;
	return true;
}

static int ct_parse_domid(const char *s, unsigned int *domid)
{
	int err;

	if (!s)
		return -EINVAL;
	err = kstrtouint(s, 10, domid);
	if (err)
		return err;
	return *domid < DOMID_FIRST_RESERVED ? 0 : -EINVAL;
}

/* The user's command, NUL-terminated and trimmed; kfree() *@alloc. */
static char *ct_get_cmd(const char __user *ubuf, size_t len, char **alloc)
{
	char *buf;

	if (!len || len >= CT_CMD_MAX)
		return ERR_PTR(-EINVAL);
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return buf;
	*alloc = buf;
	return strim(buf);
}

/* Next space-separated word of *@s, or NULL. */
static char *ct_word(char **s)
{
	char *w;

	do {
		w = strsep(s, " ");
	} while (w && !*w);
	return w;
}

/* ---- info, stats ---------------------------------------------------------- */

static int ct_info_show(struct seq_file *m, void *unused)
{
	enum xenpv_mode mode = xenpv_mode();
	u32 ver = xenpv_xen_version();
	unsigned int domid;
	int err;

	seq_printf(m, "mode %s\n", xenpv_mode_name(mode));
	seq_printf(m, "version %s\n", XENPV_VERSION);
	seq_printf(m, "xen_version %u.%u\n", ver >> 16, ver & 0xffff);
	err = xenpv_xs_read_uint("domid", "", 1, DOMID_FIRST_RESERVED - 1,
				 &domid);
	if (err)
		seq_printf(m, "domid error%d\n", err);
	else
		seq_printf(m, "domid %u\n", domid);
	seq_printf(m, "has_pv_disks %d\n", xenpv_has_pv_disks());
	seq_printf(m, "has_pv_nics %d\n", xenpv_has_pv_nics());
	seq_printf(m, "emulated_disks_present %d\n",
		   xenpv_emulated_disks_present());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ct_info);

static int ct_stats_show(struct seq_file *m, void *unused)
{
	struct xenpv_gnttab_stats s;

	xenpv_gnttab_get_stats(&s);
	seq_printf(m, "nr_frames %u\n", s.nr_frames);
	seq_printf(m, "max_frames %u\n", s.max_frames);
	seq_printf(m, "refs_in_use %u\n", s.refs_in_use);
	seq_printf(m, "deferred %u\n", s.deferred);
	seq_printf(m, "leaked %lu\n", s.leaked);
	seq_printf(m, "load_refs_in_use %u\n", ct.at_load.refs_in_use);
	seq_printf(m, "load_deferred %u\n", ct.at_load.deferred);
	seq_printf(m, "load_leaked %lu\n", ct.at_load.leaked);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ct_stats);

/* ---- xs: a tiny xenstore client for the scripts ---------------------------- */

/* "/local/domain/<digits>/backend/...": a backend's nodes, for reading. */
static bool ct_backend_path(const char *path)
{
	static const char prefix[] = "/local/domain/";
	const char *p = path + sizeof(prefix) - 1;

	if (strncmp(path, prefix, sizeof(prefix) - 1) || !isdigit(*p))
		return false;
	while (isdigit(*p))
		p++;
	return !strncmp(p, "/backend/", 9);
}

static bool ct_xs_readable(const char *path)
{
	return ct_path_under(path, CT_DIR) || ct_path_under(path, "device") ||
	       ct_path_under(path, "control") || !strcmp(path, "domid") ||
	       ct_backend_path(path);
}

static int ct_xs_cmd(char *cmd)
{
	char *op = ct_word(&cmd), *path = ct_word(&cmd), *val;
	unsigned int len;

	if (!op || !path)
		return -EINVAL;
	if (!strcmp(op, "read")) {
		if (cmd || !ct_xs_readable(path))
			return cmd ? -EINVAL : -EPERM;
		val = xenpv_xs_read(XENPV_XS_NIL, path, "", &len);
		if (IS_ERR(val))
			return PTR_ERR(val);
		kfree(ct.xs_result);
		ct.xs_result = val;
		ct.xs_len = len;
		return 0;
	}
	if (!ct_path_under(path, CT_DIR))
		return -EPERM;
	if (!strcmp(op, "write")) {
		val = cmd ? cmd : "";
		if (!ct_value_ok(val))
			return -EINVAL;
		return xenpv_xs_write(XENPV_XS_NIL, path, "", val);
	}
	if (!strcmp(op, "rm") && !cmd)
		return xenpv_xs_rm(XENPV_XS_NIL, path, "");
	return -EINVAL;
}

static int ct_xs_show(struct seq_file *m, void *unused)
{
	mutex_lock(&ct.lock);
	if (ct.xs_result) {
		seq_write(m, ct.xs_result, ct.xs_len);
		seq_putc(m, '\n');
	}
	mutex_unlock(&ct.lock);
	return 0;
}

/* ---- grant ------------------------------------------------------------------ */

/* A header naming the nonce, then a xorshift64 stream seeded from it. */
static void ct_fill_page(void *va, const u8 *nonce)
{
	u64 *w = va, s = 0;
	unsigned int i;

	scnprintf(va, CT_HEADER_LEN, "xenpv-coretest %*phN\n", CT_NONCE_LEN,
		  nonce);
	memcpy(&s, nonce, sizeof(s));
	s |= 1;
	for (i = CT_HEADER_LEN / sizeof(u64); i < PAGE_SIZE / sizeof(u64); i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		w[i] = s;
	}
}

static int ct_grant(unsigned int domid)
{
	struct page *page;
	int ref;

	if (ct.page)
		return -EBUSY;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return -ENOMEM;
	get_random_bytes(ct.nonce, sizeof(ct.nonce));
	ct_fill_page(page_address(page), ct.nonce);
	ref = xenpv_gnttab_grant_access(domid, xenpv_page_to_gfn(page), true);
	if (ref < 0) {
		__free_page(page);
		return ref;
	}
	ct.page = page;
	ct.gref = ref;
	ct.grant_domid = domid;
	ct.last_end = "none";
	ct.grants++;
	return 0;
}

/* Revoke now, or report that the peer still maps the page. */
static int ct_grant_try_end(void)
{
	if (!ct.page)
		return -ENOENT;
	if (!xenpv_gnttab_try_end_access(ct.gref)) {
		ct.last_end = "busy";
		ct.busy++;
		return 0;
	}
	__free_page(ct.page);
	ct.page = NULL;
	ct.last_end = "ended";
	ct.ended++;
	return 0;
}

/* Hand the reference and the page to the deferred revocation. */
static int ct_grant_end_defer(void)
{
	if (!ct.page)
		return -ENOENT;
	xenpv_gnttab_end_access(ct.gref, ct.page);
	ct.page = NULL;
	ct.last_end = "deferred";
	ct.deferred++;
	return 0;
}

static int ct_grant_cmd(char *cmd)
{
	char *op = ct_word(&cmd), *arg = ct_word(&cmd);
	unsigned int domid;
	int err;

	if (!op || ct_word(&cmd))
		return -EINVAL;
	if (!strcmp(op, "grant")) {
		err = ct_parse_domid(arg, &domid);
		return err ? err : ct_grant(domid);
	}
	if (arg)
		return -EINVAL;
	if (!strcmp(op, "try-end"))
		return ct_grant_try_end();
	if (!strcmp(op, "end-defer"))
		return ct_grant_end_defer();
	return -EINVAL;
}

static int ct_grant_show(struct seq_file *m, void *unused)
{
	mutex_lock(&ct.lock);
	seq_printf(m, "granted %d\n", ct.page != NULL);
	if (ct.page) {
		seq_printf(m, "gref %u\n", ct.gref);
		seq_printf(m, "domid %u\n", ct.grant_domid);
		seq_printf(m, "gfn %lu\n", xenpv_page_to_gfn(ct.page));
		seq_printf(m, "nonce %*phN\n", CT_NONCE_LEN, ct.nonce);
	}
	seq_printf(m, "last_end %s\n", ct.last_end);
	seq_printf(m, "grants %lu\n", ct.grants);
	seq_printf(m, "ended %lu\n", ct.ended);
	seq_printf(m, "busy %lu\n", ct.busy);
	seq_printf(m, "deferred %lu\n", ct.deferred);
	mutex_unlock(&ct.lock);
	return 0;
}

static ssize_t ct_page_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&ct.lock);
	if (ct.page)
		ret = simple_read_from_buffer(ubuf, count, ppos,
					      page_address(ct.page), PAGE_SIZE);
	else
		ret = -ENODATA;
	mutex_unlock(&ct.lock);
	return ret;
}

static const struct file_operations ct_page_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= ct_page_read,
	.llseek	= default_llseek,
};

/* ---- event channel ---------------------------------------------------------- */

/* Every event is answered with a notify, so the peer can time round trips. */
static irqreturn_t ct_evtchn_handler(int irq, void *dev_id)
{
	atomic_inc(&ct.events);
	xenpv_evtchn_notify(READ_ONCE(ct.port));
	atomic_inc(&ct.notifies);
	if (READ_ONCE(ct.lateeoi))
		xenpv_evtchn_lateeoi(irq, 0);
	return IRQ_HANDLED;
}

static int ct_evtchn_alloc(unsigned int domid, bool lateeoi)
{
	evtchn_port_t port;
	int irq, err;

	if (ct.irq > 0)
		return -EBUSY;
	err = xenpv_evtchn_alloc_unbound(domid, &port);
	if (err)
		return err;
	atomic_set(&ct.events, 0);
	atomic_set(&ct.notifies, 0);
	WRITE_ONCE(ct.port, port);
	WRITE_ONCE(ct.lateeoi, lateeoi);
	irq = xenpv_evtchn_bind_irq(port, ct_evtchn_handler, 0, CT_IRQ_NAME,
				    &ct, lateeoi ? XENPV_EVTCHN_LATEEOI : 0);
	if (irq < 0) {
		xenpv_evtchn_close(port);
		return irq;
	}
	ct.irq = irq;
	ct.evtchn_domid = domid;
	return 0;
}

static void ct_evtchn_free(void)
{
	if (ct.irq <= 0)
		return;
	/* Unbinding closes the port. */
	xenpv_evtchn_unbind_irq(ct.irq, &ct);
	ct.irq = 0;
}

static int ct_evtchn_cmd(char *cmd)
{
	char *op = ct_word(&cmd), *arg = ct_word(&cmd), *flag = ct_word(&cmd);
	unsigned int domid;
	int err;

	if (!op || ct_word(&cmd))
		return -EINVAL;
	if (!strcmp(op, "alloc")) {
		if (flag && strcmp(flag, "lateeoi"))
			return -EINVAL;
		err = ct_parse_domid(arg, &domid);
		return err ? err : ct_evtchn_alloc(domid, flag != NULL);
	}
	if (!strcmp(op, "free") && !arg) {
		if (ct.irq <= 0)
			return -ENOENT;
		ct_evtchn_free();
		return 0;
	}
	return -EINVAL;
}

static int ct_evtchn_show(struct seq_file *m, void *unused)
{
	mutex_lock(&ct.lock);
	seq_printf(m, "bound %d\n", ct.irq > 0);
	if (ct.irq > 0) {
		seq_printf(m, "port %u\n", ct.port);
		seq_printf(m, "irq %d\n", ct.irq);
		seq_printf(m, "port_from_irq %u\n",
			   xenpv_evtchn_from_irq(ct.irq));
		seq_printf(m, "remote %u\n", ct.evtchn_domid);
		seq_printf(m, "lateeoi %d\n", ct.lateeoi);
	}
	seq_printf(m, "events %d\n", atomic_read(&ct.events));
	seq_printf(m, "notifies %d\n", atomic_read(&ct.notifies));
	mutex_unlock(&ct.lock);
	return 0;
}

/* ---- transaction ------------------------------------------------------------ */

static int ct_tx_read_counter(struct xenpv_xs_tx t, unsigned int *v)
{
	unsigned int len;
	char *val;
	int err;

	val = xenpv_xs_read(t, CT_DIR, "counter", &len);
	if (IS_ERR(val))
		return PTR_ERR(val);
	err = (len && len < 11 && val[0] != '+') ? kstrtouint(val, 10, v) :
						   -EINVAL;
	kfree(val);
	return err;
}

static void ct_tx_reset(const char *mode)
{
	ct.tx_mode = mode;
	ct.tx_attempts = 0;
	ct.tx_first_err = 0;
	ct.tx_last_err = 0;
	ct.tx_result = 0;
}

static void ct_tx_record(int err)
{
	ct.tx_attempts++;
	if (ct.tx_attempts == 1)
		ct.tx_first_err = err;
	ct.tx_last_err = err;
}

/*
 * Our own conflicting writer: after the transaction read the counter, the
 * same counter is changed outside it, so the first commit must fail with
 * -EAGAIN and the retry must see the new value.
 */
static int ct_tx_self(void)
{
	struct xenpv_xs_tx t;
	unsigned int v = 0;
	int err;

	ct_tx_reset("self");
	do {
		err = xenpv_xs_transaction_start(&t);
		if (err)
			return err;
		err = ct_tx_read_counter(t, &v);
		if (!err && !ct.tx_attempts)
			err = xenpv_xs_printf(XENPV_XS_NIL, CT_DIR, "counter",
					      "%u", v + CT_SELF_BUMP);
		if (!err)
			err = xenpv_xs_printf(t, CT_DIR, "counter", "%u", v + 1);
		if (err) {
			xenpv_xs_transaction_end(t, true);
			return err;
		}
		err = xenpv_xs_transaction_end(t, false);
		ct_tx_record(err);
	} while (err == -EAGAIN && ct.tx_attempts < CT_TX_RETRIES);
	if (!err)
		ct.tx_result = v + 1;
	return err;
}

/* Start a transaction and read the counter in it; "commit" finishes it. */
static int ct_tx_begin(void)
{
	int err;

	ct_tx_reset("peer");
	err = xenpv_xs_transaction_start(&ct.tx);
	if (err)
		return err;
	err = ct_tx_read_counter(ct.tx, &ct.tx_value);
	if (err) {
		xenpv_xs_transaction_end(ct.tx, true);
		return err;
	}
	ct.tx_open = true;
	ct.tx_deadline = jiffies + ct_tx_hold_secs * HZ;
	schedule_delayed_work(&ct.tx_expire, ct_tx_hold_secs * HZ);
	return 0;
}

/* Increment the counter; on -EAGAIN start over: read again, write again. */
static int ct_tx_commit(void)
{
	struct xenpv_xs_tx t = ct.tx;
	unsigned int v = ct.tx_value;
	int err;

	ct.tx_open = false;
	/* The expiry work finds tx_open false if it runs now. */
	cancel_delayed_work(&ct.tx_expire);
	for (;;) {
		err = xenpv_xs_printf(t, CT_DIR, "counter", "%u", v + 1);
		if (err) {
			xenpv_xs_transaction_end(t, true);
			return err;
		}
		err = xenpv_xs_transaction_end(t, false);
		ct_tx_record(err);
		if (err != -EAGAIN || ct.tx_attempts >= CT_TX_RETRIES)
			break;
		err = xenpv_xs_transaction_start(&t);
		if (err)
			return err;
		err = ct_tx_read_counter(t, &v);
		if (err) {
			xenpv_xs_transaction_end(t, true);
			return err;
		}
	}
	if (!err)
		ct.tx_result = v + 1;
	return err;
}

static void ct_tx_abort_locked(void)
{
	if (!ct.tx_open)
		return;
	ct.tx_open = false;
	xenpv_xs_transaction_end(ct.tx, true);
}

static void ct_tx_expire_fn(struct work_struct *work)
{
	mutex_lock(&ct.lock);
	/* Not a later transaction that began while this work waited. */
	if (ct.tx_open && time_after_eq(jiffies, ct.tx_deadline)) {
		pr_warn("transaction left open for %us: aborted\n",
			ct_tx_hold_secs);
		ct_tx_abort_locked();
		ct.tx_expired++;
	}
	mutex_unlock(&ct.lock);
}

static int ct_tx_cmd(char *cmd)
{
	char *op = ct_word(&cmd);

	if (!op || ct_word(&cmd))
		return -EINVAL;
	if (!strcmp(op, "abort")) {
		if (!ct.tx_open)
			return -ENOENT;
		cancel_delayed_work(&ct.tx_expire);
		ct_tx_abort_locked();
		return 0;
	}
	if (!strcmp(op, "commit"))
		return ct.tx_open ? ct_tx_commit() : -ENOENT;
	if (ct.tx_open)
		return -EBUSY;
	if (!strcmp(op, "self"))
		return ct_tx_self();
	if (!strcmp(op, "begin"))
		return ct_tx_begin();
	return -EINVAL;
}

static int ct_tx_show(struct seq_file *m, void *unused)
{
	mutex_lock(&ct.lock);
	seq_printf(m, "open %d\n", ct.tx_open);
	seq_printf(m, "mode %s\n", ct.tx_mode);
	if (ct.tx_open)
		seq_printf(m, "read %u\n", ct.tx_value);
	seq_printf(m, "attempts %u\n", ct.tx_attempts);
	seq_printf(m, "first_err %d\n", ct.tx_first_err);
	seq_printf(m, "last_err %d\n", ct.tx_last_err);
	seq_printf(m, "value %u\n", ct.tx_result);
	seq_printf(m, "expired %lu\n", ct.tx_expired);
	mutex_unlock(&ct.lock);
	return 0;
}

/* ---- watch ------------------------------------------------------------------ */

/* Watch thread: record what the node holds now (absent is an error). */
static void ct_watch_cb(struct xenpv_watch *w, const char *path,
			const char *token)
{
	unsigned int len = 0;
	char *val;
	int err = 0;

	val = xenpv_xs_read(XENPV_XS_NIL, CT_DIR, "ping", &len);
	if (IS_ERR(val)) {
		err = PTR_ERR(val);
		val = NULL;
	}
	spin_lock(&ct.watch_lock);
	ct.watch_events++;
	ct.watch_err = err;
	ct_copy_printable(ct.watch_value, sizeof(ct.watch_value),
			  val ? val : "", val ? len : 0);
	ct_copy_printable(ct.watch_path, sizeof(ct.watch_path), path,
			  strlen(path));
	spin_unlock(&ct.watch_lock);
	kfree(val);
	wake_up(&ct.watch_wq);
}

static unsigned int ct_watch_events(void)
{
	unsigned int n;

	spin_lock(&ct.watch_lock);
	n = ct.watch_events;
	spin_unlock(&ct.watch_lock);
	return n;
}

static void ct_watch_disarm(void)
{
	if (!ct.watch_armed)
		return;
	xenpv_xs_watch_unregister(&ct.watch);
	ct.watch_armed = false;
}

/* Register and wait for the event every new watch fires with. */
static int ct_watch_arm(void)
{
	int err;

	if (ct.watch_armed)
		return -EBUSY;
	spin_lock(&ct.watch_lock);
	ct.watch_events = 0;
	ct.watch_err = 0;
	ct.watch_value[0] = '\0';
	ct.watch_path[0] = '\0';
	spin_unlock(&ct.watch_lock);
	memset(&ct.watch, 0, sizeof(ct.watch));
	ct.watch.node = CT_DIR "/ping";
	ct.watch.callback = ct_watch_cb;
	err = xenpv_xs_watch_register(&ct.watch);
	if (err)
		return err;
	ct.watch_armed = true;
	if (!wait_event_timeout(ct.watch_wq, ct_watch_events() > 0,
				msecs_to_jiffies(CT_WATCH_FIRST_MS))) {
		pr_warn("no first event within %ums of registering the watch\n",
			CT_WATCH_FIRST_MS);
		ct_watch_disarm();
		return -ETIMEDOUT;
	}
	return 0;
}

static int ct_watch_cmd(char *cmd)
{
	char *op = ct_word(&cmd);

	if (!op || ct_word(&cmd))
		return -EINVAL;
	if (!strcmp(op, "arm"))
		return ct_watch_arm();
	if (!strcmp(op, "disarm")) {
		if (!ct.watch_armed)
			return -ENOENT;
		ct_watch_disarm();
		return 0;
	}
	return -EINVAL;
}

static int ct_watch_show(struct seq_file *m, void *unused)
{
	mutex_lock(&ct.lock);
	seq_printf(m, "armed %d\n", ct.watch_armed);
	spin_lock(&ct.watch_lock);
	seq_printf(m, "events %u\n", ct.watch_events);
	seq_printf(m, "err %d\n", ct.watch_err);
	seq_printf(m, "value %s\n", ct.watch_value);
	seq_printf(m, "path %s\n", ct.watch_path);
	spin_unlock(&ct.watch_lock);
	mutex_unlock(&ct.lock);
	return 0;
}

/* ---- debugfs plumbing ----------------------------------------------------- */

/* A command file: writes run @cmd under the lock, reads run the show. */
#define CT_CMD_FILE(name)						\
static ssize_t ct_##name##_write(struct file *file,			\
				 const char __user *ubuf,		\
				 size_t len, loff_t *ppos)		\
{									\
	char *alloc = NULL, *cmd;					\
	int err;							\
									\
	cmd = ct_get_cmd(ubuf, len, &alloc);				\
	if (IS_ERR(cmd))						\
		return PTR_ERR(cmd);					\
	mutex_lock(&ct.lock);						\
	err = ct_##name##_cmd(cmd);					\
	mutex_unlock(&ct.lock);						\
	kfree(alloc);							\
	return err ? err : (ssize_t)len;				\
}									\
static int ct_##name##_open(struct inode *inode, struct file *file)	\
{									\
	return single_open(file, ct_##name##_show, inode->i_private);	\
}									\
static const struct file_operations ct_##name##_fops = {		\
	.owner		= THIS_MODULE,					\
	.open		= ct_##name##_open,				\
	.read		= seq_read,					\
	.write		= ct_##name##_write,				\
	.llseek		= seq_lseek,					\
	.release	= single_release,				\
}

CT_CMD_FILE(xs);
CT_CMD_FILE(grant);
CT_CMD_FILE(evtchn);
CT_CMD_FILE(tx);
CT_CMD_FILE(watch);

/* ---- module ------------------------------------------------------------------ */

static int __init ct_init(void)
{
	enum xenpv_mode mode = xenpv_mode();

	if (ct_tx_hold_secs < 1 || ct_tx_hold_secs > 600) {
		pr_err("tx_hold_secs=%u is out of range (1-600)\n",
		       ct_tx_hold_secs);
		return -EINVAL;
	}
	if (mode == XENPV_MODE_NONE) {
		pr_err("xenpv_platform found no Xen: nothing to test\n");
		return -ENODEV;
	}
	mutex_init(&ct.lock);
	spin_lock_init(&ct.watch_lock);
	init_waitqueue_head(&ct.watch_wq);
	INIT_DELAYED_WORK(&ct.tx_expire, ct_tx_expire_fn);
	ct.last_end = "none";
	ct.tx_mode = "none";
	xenpv_gnttab_get_stats(&ct.at_load);

	ct.dir = debugfs_create_dir("xenpv_coretest", NULL);
	if (IS_ERR_OR_NULL(ct.dir)) {
		pr_err("cannot create the debugfs directory (is debugfs enabled?)\n");
		return -ENODEV;
	}
	debugfs_create_file("info", 0400, ct.dir, NULL, &ct_info_fops);
	debugfs_create_file("stats", 0400, ct.dir, NULL, &ct_stats_fops);
	debugfs_create_file("xs", 0600, ct.dir, NULL, &ct_xs_fops);
	debugfs_create_file("grant", 0600, ct.dir, NULL, &ct_grant_fops);
	debugfs_create_file("page", 0400, ct.dir, NULL, &ct_page_fops);
	debugfs_create_file("evtchn", 0600, ct.dir, NULL, &ct_evtchn_fops);
	debugfs_create_file("tx", 0600, ct.dir, NULL, &ct_tx_fops);
	debugfs_create_file("watch", 0600, ct.dir, NULL, &ct_watch_fops);
	pr_info("xenpv %s, %s mode: /sys/kernel/debug/xenpv_coretest ready\n",
		XENPV_VERSION, xenpv_mode_name(mode));
	return 0;
}

static void __exit ct_exit(void)
{
	struct xenpv_gnttab_stats now;
	bool ok;

	/* No file operation runs once this returns. */
	debugfs_remove_recursive(ct.dir);
	cancel_delayed_work_sync(&ct.tx_expire);

	mutex_lock(&ct.lock);
	ct_tx_abort_locked();
	ct_watch_disarm();
	ct_evtchn_free();
	if (ct.page && !xenpv_gnttab_try_end_access(ct.gref)) {
		pr_warn("grant %u still mapped by domain %u at unload: deferring\n",
			ct.gref, ct.grant_domid);
		xenpv_gnttab_end_access(ct.gref, ct.page);
	} else if (ct.page) {
		__free_page(ct.page);
	}
	ct.page = NULL;
	kfree(ct.xs_result);
	ct.xs_result = NULL;
	mutex_unlock(&ct.lock);

	xenpv_gnttab_get_stats(&now);
	ok = now.refs_in_use == ct.at_load.refs_in_use &&
	     now.deferred == ct.at_load.deferred &&
	     now.leaked == ct.at_load.leaked;
	pr_info("leak-check %s: refs_in_use %u (at load %u), deferred %u (%u), leaked %lu (%lu)\n",
		ok ? "ok" : "FAILED", now.refs_in_use, ct.at_load.refs_in_use,
		now.deferred, ct.at_load.deferred, now.leaked,
		ct.at_load.leaked);
}

module_init(ct_init);
module_exit(ct_exit);

MODULE_DESCRIPTION("xenpv core selftest driver (grants, event channels, xenstore)");
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The xenpv authors");
MODULE_VERSION(XENPV_VERSION);
