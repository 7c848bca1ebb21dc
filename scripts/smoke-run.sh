#!/usr/bin/env bash
# `make run`, checked end to end: brings the stack up exactly as `make run` does (in the background), checks that
# every service answers its health check, fails the demo cluster over to its target and back with bin/tandem, walks
# the README's REST walkthrough with curl, then stops it with `make stop` and checks nothing is left running.
# Used by CI after `make test`, so the front door cannot break unnoticed. Build first (make build / make test).
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
# shellcheck disable=SC2034 # read by say/warn in lib.sh
TAG=smoke
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

DEADLINE=${TANDEM_SMOKE_TIMEOUT:-300}
log=$(mktemp)
TANDEM_SKIP_BUILD=1 setsid scripts/run.sh >"$log" 2>&1 &
run_pid=$!
cleanup() { scripts/stop.sh >/dev/null 2>&1 || true; rm -f "$log"; }
trap cleanup EXIT

start=$SECONDS
until grep -q "Tandem is up" "$log"; do
    if ! kill -0 "$run_pid" 2>/dev/null; then
        warn "make run exited before the stack was up"
        show_log_tail "$log" 40
        exit 1
    fi
    if ((SECONDS - start > DEADLINE)); then
        warn "make run was not up after ${DEADLINE} s"
        show_log_tail "$log" 40
        exit 1
    fi
    sleep 1
done
say "stack up after $((SECONDS - start)) s"

probe_cp="$TOP/scheduler-svc/target/tandem-scheduler.jar:$TOP/scheduler-svc/target/lib/*"
failed=0
for svc in "${SERVICES[@]}"; do
    port=${SVC_PORT[$svc]}
    if [[ $svc == api ]]; then
        code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)
        status=$([[ $code == 300 ]] && echo "REST GET / -> 300" || echo "REST GET / -> $code")
        [[ $code == 300 ]] || failed=1
    else
        status=$(java -cp "$probe_cp" io.tandem.runtime.HealthProbe "127.0.0.1:$port" 2>&1) || failed=1
    fi
    say "$(printf '%-12s %s' "$svc" "$status")"
done

# The README's failover walkthrough, over gRPC with the shipped client: fail the demo cluster over to its
# replication target and back; --wait exits 0 only when every member acknowledged.
if ((!failed)); then
    for step in "failover --cluster cluster1@fs1 --backend-id secondary --wait" "failback --cluster cluster1@fs1 --wait"; do
        # shellcheck disable=SC2086 # the step is a word list on purpose
        if out=$(bin/tandem --timeout 30s $step 2>&1); then
            say "tandem $step: $(tail -n 1 <<<"$out")"
        else
            warn "tandem $step failed:"
            printf '%s\n' "$out" >&2
            failed=1
            break
        fi
    done
fi

# The README's REST walkthrough, with curl and jq against api-svc: a volume, the clusters at 3.26, a failover and a
# failback through os-services/failover (202, then polling the cluster), freeze and thaw, and an online promote.
rest() { # METHOD PATH [BODY] -> prints "<status> <body>"
    curl -s -m 30 -X "$1" "http://127.0.0.1:${SVC_PORT[api]}/v3/demo$2" -H 'X-Auth-Token: admin:demo' \
        -H 'Content-Type: application/json' -H 'OpenStack-API-Version: volume 3.26' ${3:+-d "$3"} -w ' %{http_code}'
}
expect() { # WHAT EXPECTED-STATUS OUTPUT-OF-rest
    local code=${3##* }
    if [[ $code != "$2" ]]; then
        warn "REST $1: expected $2, got $code: ${3% *}"
        failed=1
        return 1
    fi
    say "REST $1 -> $code"
}
await_cluster() { # REPLICATION-STATUS: polls cluster show for up to 60 s
    local deadline=$((SECONDS + 60)) status
    while ((SECONDS < deadline)); do
        status=$(rest GET '/clusters/cluster1@fs1?binary=cinder-volume')
        [[ $(jq -r .cluster.replication_status <<<"${status% *}") == "$1" ]] && { say "REST cluster is $1"; return 0; }
        sleep 0.5
    done
    warn "REST: cluster1@fs1 not $1 after 60 s: ${status% *}"
    failed=1
    return 1
}
await_journal() { # ID: polls the journal row for up to 60 s until it is completed
    local deadline=$((SECONDS + 60)) row
    while ((SECONDS < deadline)); do
        row=$(rest GET "/tandem/failovers/$1")
        [[ $(jq -r .failover.phase <<<"${row% *}") == completed ]] && { say "REST journal row $1 completed"; return 0; }
        sleep 0.5
    done
    warn "REST: journal row $1 not completed after 60 s: ${row% *}"
    failed=1
    return 1
}
# An online promote of the site the cluster serves (its primary) with the same target: a retarget that changes
# nothing but the epoch, so the dev stack's sites stay as make run sets them up.
promote_body="{\"promote\":{\"cluster\":\"cluster1@fs1\",\"targets\":[{\"backend_id\":\"secondary\",\"location\":\"$SITES_DIR/fs1/secondary\"}]}}"
if ((!failed)); then
    expect "create a volume" 202 "$(rest POST /volumes '{"volume":{"size":1,"name":"smoke"}}')" &&
        expect "clusters detail at 3.26" 200 "$(rest GET /clusters/detail)" &&
        expect "fail over" 202 "$(rest PUT /os-services/failover '{"cluster":"cluster1@fs1","backend_id":"secondary"}')" &&
        await_cluster failed-over &&
        expect "fail back" 202 "$(rest PUT /os-services/failover '{"cluster":"cluster1@fs1","backend_id":"default"}')" &&
        await_cluster enabled &&
        expect "freeze" 200 "$(rest PUT /os-services/freeze '{"cluster":"cluster1@fs1"}')" &&
        expect "thaw" 200 "$(rest PUT /os-services/thaw '{"cluster":"cluster1@fs1"}')" &&
        expect "the failover journal" 200 "$(rest GET '/tandem/failovers?limit=1')" &&
        promoted=$(rest POST /tandem/promote "$promote_body") &&
        expect "promote online" 202 "$promoted" &&
        await_journal "$(jq -r .failover.id <<<"${promoted% *}")" &&
        await_cluster enabled
fi

scripts/stop.sh >/dev/null
if ! wait "$run_pid"; then
    warn "make run did not exit cleanly after make stop"
    failed=1
fi
if ((failed)); then
    show_log_tail "$log" 40
    exit 1
fi
say "every service answered SERVING; make stop left nothing running"
