#!/bin/sh
# As the official image: redis-server without a config file listens on every address
# (protected mode off) and keeps its files in /data, as the redis user.
set -eu
if [ "${1:-}" = redis-server ]; then
  shift
  set -- redis-server --protected-mode no --bind '* -::*' --dir /data "$@"
  if [ "$(id -u)" = 0 ]; then
    chown -R redis:redis /data
    exec gosu redis "$@"
  fi
fi
exec "$@"
