/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Prints a UDP port on 127.0.0.1 that is free right now (the kernel picks
 * it), so that tests never collide with each other or with other services.
 * With an argument N it prints N distinct ports.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1;
  int fds[64];
  int i;
  if (n < 1 || n > 64)
    return 2;
  for (i = 0; i < n; i++) {
    struct sockaddr_in sin = {0};
    socklen_t len = sizeof(sin);
    fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fds[i] < 0 || bind(fds[i], (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
        getsockname(fds[i], (struct sockaddr *)&sin, &len) < 0) {
      perror("freeport");
      return 1;
    }
    printf("%d\n", ntohs(sin.sin_port));
  }
  /* Held until all are chosen, so the N ports differ. */
  for (i = 0; i < n; i++)
    close(fds[i]);
  return 0;
}
