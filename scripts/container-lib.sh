# Shared by scripts/container-test and scripts/compose-test (sourced, not run): counting checks,
# waiting with a deadline, free ports and HTTP from inside a container that has only bash.

passed=0
failed=0

check() { # description, command...
  local description="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok   $description"
  else
    failed=$((failed + 1))
    echo "FAIL $description"
  fi
}

# Polls until the command succeeds, at most $1 seconds.
eventually() { # seconds, command...
  local until=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < until)) || return 1
    sleep 0.2
  done
}

# A free port on 127.0.0.1: one nothing answers on, away from the usual ones.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1"; }
answers_200() { [[ "$(http_status "$1")" == 200 ]]; }
json() { curl -sf --max-time 5 "$1" | jq -er "$2" 2>/dev/null; }

# The body of GET PATH from 127.0.0.1:PORT inside a container, with bash alone (the image has
# neither curl nor wget).
get_in_container() { # container, port, path
  podman exec "$1" bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
    printf "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" "$1" >&3
    body=false
    while IFS= read -r -t 5 line <&3 || [[ -n "$line" ]]; do
      if [[ "$body" == true ]]; then printf "%s\n" "$line"; elif [[ "$line" == $'"'"'\r'"'"' ]]; then body=true; fi
    done' "$2" "$3" 2>/dev/null
}

summary() { # name
  echo "$1: $passed passed, $failed failed ($SECONDS s)"
  ((failed == 0))
}
