#!/usr/bin/env bash
# Makes a development certificate authority and certificates signed by it:
#
#   deploy/dev-ca.sh DIR [HOSTNAME...]
#
# DIR/ca.crt, ca.key            the CA (trust ca.crt in clients and, for mutual TLS, in servers)
# DIR/server.crt, server.key    for both services; valid for localhost, 127.0.0.1, ::1 and HOSTNAMEs
# DIR/client.crt, client.key    a client certificate, for mutual TLS
#
# For development and tests only: production certificates come from your CA.
set -euo pipefail
dir="${1:?usage: deploy/dev-ca.sh DIR [HOSTNAME...]}"
shift
mkdir -p "$dir"
cd "$dir"

san="DNS:localhost,IP:127.0.0.1,IP:::1"
for host in "$@"; do san="$san,DNS:$host"; done

openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=jixiao development CA" \
  -keyout ca.key -out ca.crt 2>/dev/null

make_cert() {   # name subject extensions
  openssl req -newkey rsa:2048 -nodes -subj "$2" -keyout "$1.key" -out "$1.csr" 2>/dev/null
  printf '%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 \
    -extfile "$1.ext" -out "$1.crt" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
make_cert server "/CN=jixiao" "subjectAltName=$san
extendedKeyUsage=serverAuth"
make_cert client "/CN=jixiao-client" "extendedKeyUsage=clientAuth"
chmod 600 ./*.key
echo "made ca.crt, server.crt/key and client.crt/key in $dir"
