/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A client closes (dtls_close) and at once reconnects from the same
 * address. The server answers the close_notify with its own (epoch 1, the
 * old keys); it reaches the client while its new handshake is in epoch 0.
 * Expected: the stale record is dropped and the new handshake completes.
 * Seen on the library built from 8764d18: the client buffered the record,
 * failed to authenticate it with the new keys and both sides ended the new
 * association with a fatal bad_record_mac. Fixed at cf651f7.
 * Exit status 0 = good.
 */
#include "repro_common.h"

int main(void) {
  setup();
  verbose = 1;
  printf("handshake 1\n");
  dtls_connect(ctx[0], &addr[1]);
  pump();
  printf("client: dtls_close, then at once dtls_connect from the same address\n");
  dtls_close(ctx[0], &addr[1]);
  dtls_connect(ctx[0], &addr[1]);
  pump();
  printf("result: client connected %d times, server %d times; fatal alerts: "
         "client %d, server %d\n",
         connected[0], connected[1], alerts[0], alerts[1]);
  return alerts[0] || alerts[1] || connected[0] != 2 || connected[1] != 2;
}
