/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One forged datagram -- an application_data record claiming epoch 1,
 * random contents, "from" the server's address -- delivered to a client
 * whose handshake has just started. Expected (RFC 6347 4.1.2.7): it is
 * dropped silently and the handshake completes. Seen on the library built
 * from 8764d18: the client buffered it, failed to authenticate it once the
 * new keys were active and both sides got a fatal bad_record_mac, i.e. an
 * off-path attacker who can guess the client's port could kill handshakes.
 * Fixed at cf651f7. Exit status 0 = good.
 */
#include "repro_common.h"

int main(void) {
  unsigned char forged[13 + 24] = {23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 0, 0, 24};
  int i;
  setup();
  for (i = 13; i < (int)sizeof forged; i++)
    forged[i] = (unsigned char)(i * 37);
  printf("client: dtls_connect; a forged epoch-1 record from the server's "
         "address arrives first\n");
  dtls_connect(ctx[0], &addr[1]);
  dtls_handle_message(ctx[0], &addr[1], forged, sizeof forged);
  pump();
  printf("result: connected client %d server %d; fatal alerts client %d "
         "server %d\n",
         connected[0], connected[1], alerts[0], alerts[1]);
  return alerts[0] || alerts[1] || !connected[0] || !connected[1];
}
