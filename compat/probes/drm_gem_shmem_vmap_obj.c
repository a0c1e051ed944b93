// SPDX-License-Identifier: GPL-2.0
/*
 * 5.11 API change: drm_gem_shmem_vmap() maps into a struct dma_buf_map
 * (later iosys_map) and returns an error code; this compiles only with
 * the older form, which takes the GEM object and returns the address.
 */
#include <drm/drm_gem_shmem_helper.h>

static __maybe_unused void *xenpv_probe(struct drm_gem_object *obj)
{
	void *vaddr = drm_gem_shmem_vmap(obj);

	return vaddr;
}
