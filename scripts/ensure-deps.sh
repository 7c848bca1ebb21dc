#!/usr/bin/env bash
# Installs what Tandem needs and is missing, with apt-get (as root, or through passwordless sudo). Silent when
# everything is present; idempotent. Without root or passwordless sudo it prints the exact apt command and fails.
#
#   scripts/ensure-deps.sh [GROUP...]      default group: run
#     build    JDK 17+, Maven, make
#     run      build + etcd (etcd-server, etcd-client), PostgreSQL server binaries, curl, jq (make run)
#     test     run + compose + cinder                                                      (make test, .ci/run)
#     compose  docker-compose (Debian's 1.29, to validate docker-compose.yml; no Docker engine needed)
#     cinder   python3-cinderclient: the `cinder` CLI, the reference client the REST system tests run against api-svc
set -euo pipefail

say() { printf '[deps] %s\n' "$*"; }
die() {
    printf '[deps] %s\n' "$*" >&2
    exit 1
}

want_build=false want_run=false want_compose=false want_cinder=false
(($# > 0)) || set -- run
for group in "$@"; do
    case $group in
        build) want_build=true ;;
        run) want_build=true want_run=true ;;
        test) want_build=true want_run=true want_compose=true want_cinder=true ;;
        compose) want_compose=true ;;
        cinder) want_cinder=true ;;
        *) die "unknown group '$group' (build, run, test, compose, cinder)" ;;
    esac
done

have() { command -v "$1" >/dev/null 2>&1; }

jdk_major() {
    local v
    v=$(javac -version 2>&1 | sed -n 's/^javac \([0-9][0-9.]*\).*/\1/p' | head -n 1)
    v=${v#1.} # javac 1.8.0 -> 8
    echo "${v%%.*}"
}

have_jdk17() {
    local major
    have javac || return 1
    major=$(jdk_major)
    [[ $major =~ ^[0-9]+$ ]] && ((major >= 17))
}
have_etcd() { have etcd || [[ -x /usr/bin/etcd ]]; }
have_pg_server() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || have initdb; }

# Appends to `missing` the apt packages for what is absent.
missing=()
check() {
    if $want_build; then
        have_jdk17 || missing+=(openjdk-17-jdk-headless)
        have mvn || missing+=(maven)
        have make || missing+=(make)
    fi
    if $want_run; then
        have_etcd || missing+=(etcd-server)
        have etcdctl || missing+=(etcd-client)
        have_pg_server || missing+=(postgresql)
        have curl || missing+=(curl)
        have jq || missing+=(jq) # the README's REST walkthrough and smoke-run read JSON with it
    fi
    if $want_compose; then
        have docker-compose || missing+=(docker-compose)
    fi
    if $want_cinder; then
        have cinder || missing+=(python3-cinderclient)
    fi
    return 0
}

check
((${#missing[@]} == 0)) && exit 0

have apt-get || die "missing: ${missing[*]} (Debian package names); install them with your package manager"

if [[ $(id -u) == 0 ]]; then
    sudo=()
elif have sudo && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    die "missing: ${missing[*]}; install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
fi

say "installing ${missing[*]} (apt-get)"
apt_env=(env DEBIAN_FRONTEND=noninteractive)
"${sudo[@]}" "${apt_env[@]}" apt-get update -qq || die "apt-get update failed"
"${sudo[@]}" "${apt_env[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" ||
    die "apt-get install ${missing[*]} failed"

wanted=("${missing[@]}")
missing=()
hash -r
check
((${#missing[@]} == 0)) || die "still missing after installing ${wanted[*]}: ${missing[*]}"
say "installed ${wanted[*]}"
