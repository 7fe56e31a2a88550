#!/usr/bin/env bash
# Times the README's main command: prefixes every line the game day prints with the seconds since the command
# started, then prints when the first request was served and the total. Usage, from the repository root:
#   benchmarks/gameday/time-gameday.sh [extra gameday arguments]
set -uo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s%N)
dotnet run --project src/Cli -- gameday --plain "$@" 2>&1 | while IFS= read -r line; do
  now=$(date +%s%N)
  printf '%7.2f | %s\n' "$(( (now - start) / 1000000 ))e-3" "$line"
done | tee /tmp/time-gameday.$$.log
status=${PIPESTATUS[0]}
end=$(date +%s%N)
first=$(grep -m1 'first request served' /tmp/time-gameday.$$.log | cut -d'|' -f1 | tr -d ' ')
printf 'first request served after %s s; total %.1f s; exit code %s; load average %s\n' \
  "${first:-?}" "$(( (end - start) / 1000000 ))e-3" "$status" "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
rm -f /tmp/time-gameday.$$.log
exit "$status"
