#!/bin/sh
# Builds the service's container image as an OCI image layout, with no base image and no registry:
#
#   <out>/image/                 the layout (oci-layout, index.json, blobs/sha256/…)
#   <out>/skychat-image.tar      the same layout as one file (podman load -i …, skopeo copy oci-archive:…)
#
# Layers, from the bottom: a jlinked Java runtime with the shared libraries it and SQLite's native driver
# link against, plus /etc/passwd and /etc/group naming the service user (uid 10001); the jar's
# dependencies; the application; the state directory /var/lib/skychat owned by that user. Every file has
# a fixed owner and modification time, so the same inputs give the same digests.
#
# usage: build-image.sh <skychat.jar> <out dir> <JDK home> <version>
set -eu

jar=$(CDPATH='' cd -- "$(dirname -- "$1")" && pwd)/$(basename -- "$1")
mkdir -p "$2"
out=$(CDPATH='' cd -- "$2" && pwd)
jdk=$3
version=$4

uid=10001
state=/var/lib/skychat
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,\
java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,\
java.transaction.xa,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

# The JVM of a small sidecar: bounded heap, metaspace, code cache and direct memory; the serial collector;
# small thread stacks; no perf-data file; temporary files under the volume; C2 waiting for three times its
# usual counts (as bin/skychat: its start-up compilations cost as much CPU as the start); SQLite's native
# library loaded from the image (/app/native) rather than written to the volume at every start; and, where
# the JDK has it (checked below), the native heap trimmed every 2 s. JAVA_TOOL_OPTIONS adds to these (an
# -Xmx there wins over the percentage).
jvm_flags="-XX:+UseSerialGC -XX:MaxRAMPercentage=50 -XX:InitialRAMPercentage=10 -Xss512k \
-XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=64m \
-XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -Xshare:auto -Djava.io.tmpdir=$state/tmp \
-XX:Tier4InvocationThreshold=15000 -XX:Tier4MinInvocationThreshold=1800 -XX:Tier4CompileThreshold=45000 \
-XX:Tier4BackEdgeThreshold=120000"

die() {
    echo "build-image: $*" >&2
    exit 1
}

[ -f "$jar" ] || die "no jar at $jar"
[ -x "$jdk/bin/jlink" ] || die "no jlink in $jdk/bin"
for tool in tar gzip sha256sum ldd; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done

case $(uname -m) in
    x86_64) arch=amd64 ;;
    aarch64) arch=arm64 ;;
    *) arch=$(uname -m) ;;
esac

work=$out/image-build
layout=$out/image
rm -rf "$work" "$layout" "$out/skychat-image.tar"
mkdir -p "$work/runtime" "$work/deps" "$work/app" "$work/state" "$layout/blobs/sha256"

# 1. The runtime: jlink, then every shared library an ELF file in it (or SQLite's driver) asks for.
# java.desktop is there for java.beans only: its native AWT, font, sound and image libraries (and the X11
# libraries they would pull in) stay out. The runtime gets its own class-data archive of the JDK's classes
# (a jlinked runtime has none, so -Xshare:auto would share nothing): start-up maps them instead of parsing them.
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=2 --exclude-files='glob:/java.desktop/lib/**' --generate-cds-archive --output "$work/runtime/opt/java"
"$jdk/bin/java" -Djarmode=tools -jar "$jar" extract --layers --destination "$work/extracted" >/dev/null
sqlite_jar=$(find "$work/extracted" -name 'sqlite-jdbc-*.jar' | head -n 1)
if [ -n "$sqlite_jar" ]; then
    mkdir -p "$work/sqlite"
    (cd "$work/sqlite" && "$jdk/bin/jar" xf "$sqlite_jar" "org/sqlite/native/Linux/$(uname -m)/libsqlitejdbc.so")
fi
find "$work/runtime/opt/java" "$work/sqlite" -type f \( -name '*.so' -o -path '*/bin/*' \) 2>/dev/null |
    while read -r elf; do
        ldd "$elf" 2>/dev/null || true
    done |
    awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u |
    while read -r lib; do
        case $lib in "$work"/*) continue ;; esac
        mkdir -p "$work/runtime$(dirname "$lib")"
        cp -L "$lib" "$work/runtime$lib"
    done
[ -n "$(find "$work/runtime" -name 'libc.so.*' | head -n 1)" ] || die "ldd found no libc for the runtime"
mkdir -p "$work/runtime/etc"
printf 'root:x:0:0:root:/root:/sbin/nologin\nskychat:x:%s:%s:skychat:%s:/sbin/nologin\n' "$uid" "$uid" "$state" \
    >"$work/runtime/etc/passwd"
printf 'root:x:0:\nskychat:x:%s:\n' "$uid" >"$work/runtime/etc/group"

# 2 and 3. The jar's layers: libraries (rarely change) below the application (changes every build).
mkdir -p "$work/deps/app" "$work/app/app"
for l in dependencies spring-boot-loader snapshot-dependencies; do
    [ -d "$work/extracted/$l" ] && cp -R "$work/extracted/$l/." "$work/deps/app/"
done
# Signed jars (BouncyCastle) without their signature files, where zip is installed: each entry of a signed
# jar is checked against the signature when its class loads, at every start (the classes stay the same;
# nothing registers them as a JCE provider).
if command -v zip >/dev/null && command -v unzip >/dev/null; then
    for lib in "$work/deps/app/lib/"*.jar; do
        if unzip -Z1 "$lib" 'META-INF/*.SF' >/dev/null 2>&1; then
            zip -q -d "$lib" 'META-INF/*.SF' 'META-INF/*.RSA' 'META-INF/*.DSA' 'META-INF/*.EC' >/dev/null
        fi
    done
fi
# SQLite's native library beside the library jar it comes from, loaded from there (the flags above).
so=$(find "$work/sqlite" -name libsqlitejdbc.so 2>/dev/null | head -n 1)
if [ -n "$so" ]; then
    mkdir -p "$work/deps/app/native"
    cp "$so" "$work/deps/app/native/libsqlitejdbc.so"
    jvm_flags="$jvm_flags -Dorg.sqlite.lib.path=/app/native -Dorg.sqlite.lib.name=libsqlitejdbc.so"
fi
if "$jdk/bin/java" -XX:TrimNativeHeapInterval=2000 -version >/dev/null 2>&1; then
    jvm_flags="$jvm_flags -XX:TrimNativeHeapInterval=2000"
fi
cp -R "$work/extracted/application/." "$work/app/app/"
[ -f "$work/app/app/$(basename "$jar")" ] || die "the extracted layout has no $(basename "$jar")"

# 4. The state directory, owned by the service user.
mkdir -p "$work/state/var/lib/skychat"

# tar with fixed metadata; prints "<diff id> <blob digest> <blob size>".
tar_opts="--sort=name --mtime=@0 --numeric-owner --format=posix --pax-option=delete=atime,delete=ctime"
blob() {
    digest=$(sha256sum "$1" | cut -c1-64)
    mv "$1" "$layout/blobs/sha256/$digest"
    echo "$digest $(wc -c <"$layout/blobs/sha256/$digest" | tr -d ' ')"
}
layer() { # <name> <dir> <top-level entries…>
    name=$1
    dir=$2
    shift 2
    # shellcheck disable=SC2086
    tar $tar_opts --owner=0 --group=0 -C "$dir" -cf "$work/$name.tar" "$@"
    finish_layer "$name"
}
finish_layer() {
    diff=$(sha256sum "$work/$1.tar" | cut -c1-64)
    gzip -n -6 <"$work/$1.tar" >"$work/$1.tar.gz"
    rm "$work/$1.tar"
    echo "$diff $(blob "$work/$1.tar.gz")"
}
runtime_tops=$(cd "$work/runtime" && ls)
# shellcheck disable=SC2086
l1=$(layer runtime "$work/runtime" $runtime_tops)
l2=$(layer deps "$work/deps" app)
l3=$(layer app "$work/app" app)
# shellcheck disable=SC2086
tar $tar_opts --owner=0 --group=0 --no-recursion -C "$work/state" -cf "$work/state.tar" var var/lib
chmod 0700 "$work/state/var/lib/skychat"
# shellcheck disable=SC2086
tar $tar_opts --owner=$uid --group=$uid --no-recursion -C "$work/state" -rf "$work/state.tar" var/lib/skychat
l4=$(finish_layer state)

json_array() { # words → ["w1","w2",…]
    printf '['
    sep=
    for w in "$@"; do
        printf '%s"%s"' "$sep" "$w"
        sep=,
    done
    printf ']'
}
# shellcheck disable=SC2086
entrypoint=$(json_array /opt/java/bin/java $jvm_flags -jar /app/skychat.jar)
cmd=$(json_array --standalone --tcp-listen '*:8800')
diff_ids=""
layers=""
for l in "$l1" "$l2" "$l3" "$l4"; do
    set -- $l
    diff_ids="$diff_ids${diff_ids:+,}\"sha256:$1\""
    layers="$layers${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$2\",\"size\":$3}"
done

cat >"$work/config.json" <<JSON
{"created":"1970-01-01T00:00:00Z","architecture":"$arch","os":"linux","config":{"User":"$uid:$uid","Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","SKYCHAT_WORKDIR=$state","SKYCHAT_ADDR=*:8001","SKYCHAT_MANAGEMENT_ADDR=*:9001"],"Entrypoint":$entrypoint,"Cmd":$cmd,"WorkingDir":"$state","ExposedPorts":{"8001/tcp":{},"8800/tcp":{},"9001/tcp":{}},"Volumes":{"$state":{}},"Labels":{"org.opencontainers.image.title":"skychat","org.opencontainers.image.version":"$version","io.skychat.health":"http://:9001/actuator/health/readiness"}},"rootfs":{"type":"layers","diff_ids":[$diff_ids]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"jlinked runtime and its libraries"},{"created":"1970-01-01T00:00:00Z","created_by":"dependencies"},{"created":"1970-01-01T00:00:00Z","created_by":"application"},{"created":"1970-01-01T00:00:00Z","created_by":"state directory"}]}
JSON
set -- $(blob "$work/config.json")
config="{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$1\",\"size\":$2}"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":%s,"layers":[%s]}' \
    "$config" "$layers" >"$work/manifest.json"
set -- $(blob "$work/manifest.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"localhost/skychat:%s"}}]}' \
    "$1" "$2" "$version" >"$layout/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
tar $tar_opts --owner=0 --group=0 -C "$layout" -cf "$out/skychat-image.tar" oci-layout index.json blobs
rm -rf "$work"
echo "build-image: $layout (manifest sha256:$1, $(du -sk "$layout" | cut -f1) KiB)"
