#!/usr/bin/env bash
# Several "hosts" on one machine: network namespaces on a private bridge, with redis-server in one of them,
# for silos that each bind their own address and join through Redis. Needs root (CAP_NET_ADMIN) and iproute2.
#
#   scripts/netns-cluster.sh up   [--name NAME] [--hosts N] [--subnet 10.213.X] [--redis-port PORT]
#   scripts/netns-cluster.sh down [--name NAME]
#
# up makes, all named after NAME (default smmu<pid of this shell>, at most 12 characters):
#   bridge NAMEbr with 10.213.X.1/24 in this namespace (X: the first 10.213.X.0/24 no interface here uses);
#   namespace NAME-r (10.213.X.10) running redis-server bound to that address only (the silos are not on
#   loopback, so --protected-mode no; nothing outside the bridge can reach it);
#   namespaces NAME-0 .. NAME-(N-1) (10.213.X.11 ..), N=2 by default, each with lo up;
#   and prints one line per thing made:
#     bridge NAMEbr 10.213.X.1/24
#     redis NAME-r 10.213.X.10:PORT
#     host NAME-0 10.213.X.11
# The namespaces have no default route and forwarding is left as it is, so they reach only 10.213.X.0/24.
# Run a silo in one:  ip netns exec NAME-0 dotnet silo/bin/Release/net10.0/SmmuActors.Silo.dll --redis 10.213.X.10:PORT --address 10.213.X.11
#
# down stops every process left in NAME's namespaces (TERM, then KILL after 3 s), deletes the namespaces (their
# veth pairs go with them), the bridge and the state directory. It removes only what is named after NAME and
# succeeds when nothing is left, so it is safe to run twice or after a failed up.
set -Eeuo pipefail

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -ge 1 ] || usage
action=$1; shift
name="smmu$$" hosts=2 subnet="" redis_port=6379
while [ $# -gt 0 ]; do
  case $1 in
    --name) name=$2; shift 2 ;;
    --hosts) hosts=$2; shift 2 ;;
    --subnet) subnet=$2; shift 2 ;;
    --redis-port) redis_port=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ $name =~ ^[a-z][a-z0-9]{0,11}$ ]] || { echo "error: --name must be 1-12 lowercase letters and digits (interface names are at most 15)" >&2; exit 2; }
[[ $hosts =~ ^[1-9]$ ]] || { echo "error: --hosts must be 1 to 9" >&2; exit 2; }
state="/run/smmu-netns/$name"
bridge="${name}br"

command -v ip >/dev/null || { echo "error: ip (iproute2) is not installed" >&2; exit 1; }

# Namespaces of NAME: NAME-r and NAME-0..NAME-8, whichever exist.
namespaces() { ip netns list | awk '{print $1}' | grep -E "^${name}-(r|[0-9])\$" || true; }

down() {
  local ns pids deadline
  if [ -f "$state/redis.pid" ]; then kill "$(cat "$state/redis.pid")" 2>/dev/null || true; fi
  for ns in $(namespaces); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -z "$pids" ] || kill $pids 2>/dev/null || true
  done
  deadline=$((SECONDS + 3))
  for ns in $(namespaces); do
    while [ -n "$(ip netns pids "$ns" 2>/dev/null || true)" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  ip link del "$bridge" 2>/dev/null || true
  rm -rf "$state"
  local left; left=$(namespaces)
  if [ -n "$left" ] || ip link show "$bridge" >/dev/null 2>&1; then
    echo "error: could not remove all of $name: ${left:-} $(ip -br link show "$bridge" 2>/dev/null || true)" >&2
    return 1
  fi
  echo "removed $name"
}

up() {
  command -v redis-server >/dev/null || { echo "error: redis-server is not installed (apt-get install -y redis-server)" >&2; exit 1; }
  if [ -n "$(namespaces)" ] || ip link show "$bridge" >/dev/null 2>&1; then
    echo "error: $name already exists; run: $0 down --name $name" >&2; exit 1
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "error: up needs root: it creates network namespaces, a bridge and veth pairs (CAP_NET_ADMIN)" >&2; exit 1
  fi
  mkdir -p /run/smmu-netns
  # Choosing a subnet and taking it is one step for concurrent runs: under a lock, and the address is on the bridge before it is released.
  exec 9>/run/smmu-netns/.lock
  flock -w 10 9 || { echo "error: /run/smmu-netns/.lock is held" >&2; exit 1; }
  if [ -z "$subnet" ]; then
    local x
    for x in $(seq 1 254); do
      ip -4 -o addr show | grep -q " 10\.213\.$x\." || { subnet="10.213.$x"; break; }
    done
    [ -n "$subnet" ] || { echo "error: every 10.213.X.0/24 is in use here" >&2; exit 1; }
  fi
  [[ $subnet =~ ^10\.213\.([1-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])$ ]] || { echo "error: --subnet must be 10.213.X with X in 1..254" >&2; exit 2; }
  trap 'echo "error: up failed at line $LINENO; removing what it made" >&2; down >&2 || true' ERR
  mkdir -p "$state"
  if ! err=$(ip link add "$bridge" type bridge 2>&1); then
    echo "error: cannot create bridge $bridge: $err (this needs root or CAP_NET_ADMIN)" >&2
    rm -rf "$state"; exit 1
  fi
  ip addr add "$subnet.1/24" dev "$bridge"
  ip link set "$bridge" up
  flock -u 9
  echo "bridge $bridge $subnet.1/24"

  local i=0 ns ip_ suffixes=(r $(seq 0 $((hosts - 1))))
  for s in "${suffixes[@]}"; do
    ns="$name-$s" ip_="$subnet.$((10 + i))"
    ip netns add "$ns"
    # host end NAMEv<s> on the bridge, namespace end eth0
    ip link add "${name}v$s" type veth peer name eth0 netns "$ns"
    ip link set "${name}v$s" master "$bridge" up
    ip -n "$ns" addr add "$ip_/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    if [ "$s" = r ]; then
      ip netns exec "$ns" redis-server --port "$redis_port" --bind "$ip_" --protected-mode no --dir "$state" \
        --save '' --appendonly no --daemonize yes --pidfile "$state/redis.pid" --logfile "$state/redis.log"
      local deadline=$((SECONDS + 10))
      until reply=$(timeout 1 bash -c "exec 3<>/dev/tcp/$ip_/$redis_port && printf 'PING\r\n' >&3 && head -c 5 <&3" 2>/dev/null) && [ "$reply" = "+PONG" ]; do
        [ $SECONDS -lt $deadline ] || { echo "error: redis-server at $ip_:$redis_port does not answer; $state/redis.log:" >&2; cat "$state/redis.log" >&2; false; }
        sleep 0.1
      done
      echo "redis $ns $ip_:$redis_port"
    else
      echo "host $ns $ip_"
    fi
    i=$((i + 1))
  done
  trap - ERR
}

case $action in
  up) up ;;
  down) down ;;
  *) usage ;;
esac
