#!/bin/bash
# Docker HEALTHCHECK: exits 0 only while /actuator/health/readiness answers 200.
# Plain bash (/dev/tcp) because neither curl nor wget is in every JRE base image, and a JVM per check is too heavy.
# The management port (application.yml's management.server.port), where health lives.
port="${MANAGEMENT_SERVER_PORT:-8082}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 4 status <&3 || exit 1
case "${status}" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) echo "readiness: ${status:-no answer}"; exit 1 ;;
esac
