/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The versions an installed libtinydtls reports, one "name=value" line
 * each, for test-install.sh to compare with VERSION:
 *
 *   macro=TINYDTLS_GO_VERSION (dtls_ext.h)
 *   function=tinydtls_go_version()
 *   engine_loaded=whether the Go engine was loaded by then (it must not be)
 *   package_version=dtls_package_version()
 *   PACKAGE_VERSION=, PACKAGE_STRING= (dtls_config.h)
 *   first_line=the first log line of a new context, at DTLS_LOG_NOTICE
 *   first_level=its level
 *
 * Built with pkg-config's flags against the installed tree.
 */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include <link.h>
#include <stdio.h>
#include <string.h>

#include <tinydtls/tinydtls.h>
#include <tinydtls/dtls.h>
#include <tinydtls/dtls_debug.h>
#include <tinydtls/dtls_ext.h>

static char first_line[256];
static int first_level = -1;

static void capture(log_t level, const char *message) {
  if (first_level < 0) {
    first_level = (int)level;
    snprintf(first_line, sizeof(first_line), "%s", message);
    first_line[strcspn(first_line, "\n")] = '\0';
  }
}

static int find_engine(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  (void)data;
  return info->dlpi_name && strstr(info->dlpi_name, "libtinydtls-engine") != NULL;
}

int main(void) {
  dtls_context_t *ctx;

  printf("macro=%s\n", TINYDTLS_GO_VERSION);
  printf("function=%s\n", tinydtls_go_version());
  printf("engine_loaded=%d\n", dl_iterate_phdr(find_engine, NULL));
  printf("package_version=%s\n", dtls_package_version());
  printf("PACKAGE_VERSION=%s\n", PACKAGE_VERSION);
  printf("PACKAGE_STRING=%s\n", PACKAGE_STRING);

  dtls_init();
  dtls_set_log_handler(capture);
  dtls_set_log_level(DTLS_LOG_NOTICE);
  ctx = dtls_new_context(NULL);
  if (!ctx) {
    printf("no context\n");
    return 1;
  }
  dtls_free_context(ctx);
  printf("first_line=%s\n", first_line);
  printf("first_level=%d\n", first_level);
  return 0;
}
