// SPDX-License-Identifier: GPL-2.0
/*
 * Grant reference free list (pure data structure, see pure.h).
 *
 * Copyright (C) 2026 The xenpv authors
 */
#include "pure.h"

static bool gref_in_range(const struct xenpv_gref_list *l, u32 ref)
{
	return ref >= l->first && ref < l->capacity;
}

static bool gref_is_link(u32 v)
{
	return v != XENPV_GREF_USED && v != XENPV_GREF_ABSENT;
}

void xenpv_gref_init(struct xenpv_gref_list *l, u32 *next, u32 capacity,
		     u32 first)
{
	u32 i;

	l->next = next;
	l->capacity = capacity;
	l->first = first < capacity ? first : capacity;
	l->limit = l->first;
	l->head = XENPV_GREF_END;
	l->nr_free = 0;
	for (i = 0; i < capacity; i++)
		next[i] = XENPV_GREF_ABSENT;
}

u32 xenpv_gref_grow(struct xenpv_gref_list *l, u32 new_limit,
		    bool (*busy)(u32 ref, void *arg), void *arg)
{
	u32 ref, freed = 0;

	if (new_limit > l->capacity)
		new_limit = l->capacity;
	if (new_limit <= l->limit)
		return 0;

	/* Push from the top down so that low references are handed out first. */
	for (ref = new_limit; ref-- > l->limit;) {
		if (l->next[ref] != XENPV_GREF_ABSENT)
			continue;	/* still owned by someone since a shrink */
		if (busy && busy(ref, arg)) {
			l->next[ref] = XENPV_GREF_USED;
			continue;
		}
		l->next[ref] = l->head;
		l->head = ref;
		l->nr_free++;
		freed++;
	}
	l->limit = new_limit;
	return freed;
}

u32 xenpv_gref_get(struct xenpv_gref_list *l)
{
	u32 ref = l->head;

	if (ref == XENPV_GREF_END)
		return XENPV_GREF_END;
	l->head = l->next[ref];
	l->next[ref] = XENPV_GREF_USED;
	l->nr_free--;
	return ref;
}

int xenpv_gref_get_chain(struct xenpv_gref_list *l, u32 count, u32 *head)
{
	u32 last, i;

	if (!count)
		return -EINVAL;
	if (l->nr_free < count)
		return -ENOSPC;

	last = l->head;
	for (i = 1; i < count; i++)
		last = l->next[last];
	*head = l->head;
	l->head = l->next[last];
	l->next[last] = XENPV_GREF_END;
	l->nr_free -= count;
	return 0;
}

static void gref_release(struct xenpv_gref_list *l, u32 ref)
{
	if (ref >= l->limit) {
		l->next[ref] = XENPV_GREF_ABSENT;
		return;
	}
	l->next[ref] = l->head;
	l->head = ref;
	l->nr_free++;
}

int xenpv_gref_put(struct xenpv_gref_list *l, u32 ref)
{
	if (!gref_in_range(l, ref) || l->next[ref] != XENPV_GREF_USED)
		return -EINVAL;
	gref_release(l, ref);
	return 0;
}

int xenpv_gref_put_chain(struct xenpv_gref_list *l, u32 head)
{
	u32 ref, next, n = 0;

	/* Validate the whole chain first so that a bad one changes nothing. */
	for (ref = head; ref != XENPV_GREF_END; ref = l->next[ref]) {
		if (!gref_in_range(l, ref) || !gref_is_link(l->next[ref]))
			return -EINVAL;
		if (++n > l->capacity)
			return -EINVAL;	/* loop */
	}

	for (ref = head; ref != XENPV_GREF_END; ref = next) {
		next = l->next[ref];
		gref_release(l, ref);
	}
	return 0;
}

u32 xenpv_gref_chain_claim(struct xenpv_gref_list *l, u32 *head)
{
	u32 ref = *head;

	if (ref == XENPV_GREF_END || !gref_in_range(l, ref) ||
	    !gref_is_link(l->next[ref]))
		return XENPV_GREF_END;
	*head = l->next[ref];
	l->next[ref] = XENPV_GREF_USED;
	return ref;
}

int xenpv_gref_chain_release(struct xenpv_gref_list *l, u32 *head, u32 ref)
{
	if (!gref_in_range(l, ref) || l->next[ref] != XENPV_GREF_USED)
		return -EINVAL;
	l->next[ref] = *head;
	*head = ref;
	return 0;
}

u32 xenpv_gref_shrink(struct xenpv_gref_list *l, u32 new_limit)
{
	u32 ref, next, tail = XENPV_GREF_END, dropped = 0;

	if (new_limit < l->first)
		new_limit = l->first;
	if (new_limit >= l->limit)
		return 0;

	/* Rebuild the free chain in order, leaving out what disappears. */
	ref = l->head;
	l->head = XENPV_GREF_END;
	for (; ref != XENPV_GREF_END; ref = next) {
		next = l->next[ref];
		if (ref >= new_limit) {
			l->next[ref] = XENPV_GREF_ABSENT;
			l->nr_free--;
			dropped++;
			continue;
		}
		l->next[ref] = XENPV_GREF_END;
		if (tail == XENPV_GREF_END)
			l->head = ref;
		else
			l->next[tail] = ref;
		tail = ref;
	}
	l->limit = new_limit;
	return dropped;
}
