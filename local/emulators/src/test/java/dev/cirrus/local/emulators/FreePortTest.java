package dev.cirrus.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortTest {
  @Test
  void portsAreBindableNeverRepeatedAndOutsideTheEphemeralRange() throws Exception {
    int ephemeral =
        Integer.parseInt(
            Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                .get(0)
                .trim()
                .split("\\s+")[0]);
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      int port = Emulators.freePort();
      assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
      assertThat(port).isLessThan(ephemeral);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(Emulators.LOOPBACK, port));
      }
    }
  }
}
