#!/bin/bash
# run.sh DIR PORT NUSERS [RTPENGINE_NG]: starts Kamailio (Debian package, 5.6) on 127.0.0.1:PORT
# (UDP and TCP) as an authenticating registrar and proxy for users 1001..1000+NUSERS with password
# pw-<user> in realm atende.local, and prints its pid (also in DIR/kamailio.pid). With RTPENGINE_NG
# (e.g. udp:127.0.0.1:22222) media is relayed through rtpengine. AUTH=dbtext in the environment
# authenticates from the db_text table instead of deriving the password in the script.
# SAME_JOB=1 adds what Atende's registrar does (see kamailio.cfg.tpl) with bindings in SQLite;
# SAME_JOB=memory the same with bindings in memory only.
# Copied from the team's shared peer kit so that a clean clone is self-contained.
set -e
DIR=$1 PORT=$2 N=$3 RTPE=${4:-}
mkdir -p "$DIR/db"
printf 'table_name(str) table_version(int)\nsubscriber:7\nlocation:9\n' >"$DIR/db/version"
{ echo "id(int,auto) username(str) domain(str) password(str) ha1(str,null) ha1b(str,null)"
  for i in $(seq 1001 $((1000+N))); do echo "$((i-1000)):$i:atende.local:pw-$i::"; done; } >"$DIR/db/subscriber"
SHM_MB=256
# TLSF, not the default qm allocator: with qm a transaction per REGISTER held this peer to 4,000-8,000/s
# (SIP run 14). KAMAILIO_MEM=qm gives the allocator of runs 1-13.
KAMAILIO_MEM=${KAMAILIO_MEM:-tlsf}
MEMORY_LOCATION=""
[ "${SAME_JOB:-}" = memory ] && MEMORY_LOCATION=1
if [ -n "${SAME_JOB:-}" ]; then
  # A transaction per REGISTER lives in shared memory until tm's wait timer: 256 MB ran out at 5,000/s.
  SHM_MB=1024
  rm -f "$DIR/location.sqlite"
  sqlite3 "$DIR/location.sqlite" "CREATE TABLE version (table_name VARCHAR(32) NOT NULL, table_version INTEGER DEFAULT 0 NOT NULL);" \
    ".read /usr/share/kamailio/db_sqlite/usrloc-create.sql"
fi
sed -e "s#@DIR@#$DIR#g" -e "s#@PORT@#$PORT#g" -e "s#@RTPENGINE@#$RTPE#g" -e "s#@LAST@#$((1000+N))#g" "$(dirname "$0")/kamailio.cfg.tpl" >"$DIR/kamailio.cfg"
rm -f "$DIR/kamailio.pid"
kamailio ${RTPE:+-A WITH_RTPENGINE} ${AUTH:+-A WITH_DBTEXT_AUTH} ${SAME_JOB:+-A WITH_SAME_JOB} ${MEMORY_LOCATION:+-A WITH_MEMORY_LOCATION} -f "$DIR/kamailio.cfg" -P "$DIR/kamailio.pid" ${KAMAILIO_MEM:+-x $KAMAILIO_MEM} -m "$SHM_MB" -M 16 -u root -g root -Y "$DIR" >"$DIR/kamailio.log" 2>&1
# kamailio daemonizes (fork=yes); the pid file appears once the main process is up.
for _ in $(seq 1 50); do [ -s "$DIR/kamailio.pid" ] && break; sleep 0.1; done
cat "$DIR/kamailio.pid"
