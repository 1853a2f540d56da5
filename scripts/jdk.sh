# Sourced by ./tusk, scripts/test and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it is one, else the newest JDK >= 21 under /usr/lib/jvm (or /usr/java).

tusk_java_major() { # prints the major version of the java binary $1, or nothing
  # The JDK's release file says it without starting a JVM (each start costs ./tusk 50-100 ms); ask java otherwise.
  local release
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n 1
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

tusk_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(tusk_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then return 0; fi
  fi
  for candidate in /usr/lib/jvm/* /usr/java/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(tusk_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "tusk: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable under /usr/lib/jvm); install one, e.g. 'apt-get install openjdk-21-jdk', or set JAVA_HOME" >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

tusk_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
# Maven on JDK 25 warns about sun.misc.Unsafe in its own dependencies.
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
