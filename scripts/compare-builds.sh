#!/usr/bin/env bash
# Are two revisions' built sites byte-identical?
#
# Builds hotdesk at two git revisions, builds with each the example (that revision's own
# content/ and themes/) and one generated directory of $SPACES spaces (the same input for
# both, made by benches/gen_site.py, the generator `cargo bench` uses), all at one pinned
# --now, then compares the outputs with `diff -r`. A refactoring that claims "behaviour
# unchanged" must pass it.
#
#   scripts/compare-builds.sh [BASE [HEAD]]
#
# BASE defaults to HEAD~, HEAD to the working tree (uncommitted changes included); a
# revision is anything `git rev-parse` takes, and `.` is the working tree. Environment:
#   NOW=2026-11-25T12:00:00Z   the pinned date of every build
#   SPACES=1000                size of the generated directory (0: the example only)
#   PROFILE=dev                cargo profile of the two binaries (release: slower to
#                              compile, faster to build the sites; the output is the same)
#   KEEP=1                     keep the scratch folder (binaries, outputs, logs)
# Exit 0: every output is byte-identical; 1: some output differs; 2: usage or a failure.
#
# Why benches/gen_site.py and not the shared gen_content.py: `gen_content.py --format
# plain` writes spaces with fields hotdesk refuses (tagline, city, prices, ...) and no
# site.yaml or regions.yaml, so `check` rejects it; gen_site.py writes the same size and
# variety in hotdesk's format.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}
case "${1:-}" in -h | --help) usage ;; esac
[ $# -le 2 ] || usage

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
base=${1:-HEAD~}
head=${2:-.}
now=${NOW:-2026-11-25T12:00:00Z}
spaces=${SPACES:-1000}
profile=${PROFILE:-dev}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}

work=$(mktemp -d "${TMPDIR:-/tmp}/hotdesk-compare.XXXXXX")
cleanup() {
  clean_hotdesk || true
  if [ "${KEEP:-0}" = 1 ]; then
    echo "scratch folder kept: $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# The source tree of a revision: the working tree itself for `.`, else an export of the
# commit (git archive: no checkout, no new worktree in the repository's metadata), kept
# in the target folder by commit id so that a second run does not compile it again.
source_of() {
  local rev=$1
  if [ "$rev" = . ]; then
    echo "$repo"
    return
  fi
  local commit dir
  commit=$(git -C "$repo" rev-parse --verify --quiet "$rev^{commit}") \
    || { echo "compare-builds: unknown revision '$rev'" >&2; exit 2; }
  dir="$CARGO_TARGET_DIR/compare-builds/$commit"
  if [ ! -f "$dir/Cargo.toml" ]; then
    rm -rf "$dir.partial" && mkdir -p "$dir.partial"
    git -C "$repo" archive "$commit" | tar -x -C "$dir.partial"
    mv "$dir.partial" "$dir"
  fi
  echo "$dir"
}

# hotdesk's own artifacts in the shared target folder. Cargo tells a stale build by the
# modification times of the source files against its last build, not by their folder:
# after building one tree it finds another tree of the same package "fresh" (an export
# has the commit's old times) and would hand back the wrong binary. So hotdesk is
# cleaned before each build, and at exit, so that the next plain `cargo build` of the
# working tree compiles it again too. The dependencies stay compiled.
clean_hotdesk() {
  cargo clean --quiet -p hotdesk --profile "$profile" --manifest-path "$repo/Cargo.toml" >&2
}

# Builds the binary of one source tree and copies it out: both trees share the target
# folder (the dependencies compile once), so the second build would overwrite the first.
binary_of() {
  local src=$1 label=$2 dir
  echo "== $label: cargo build --profile $profile ($src)" >&2
  clean_hotdesk
  cargo build --quiet --locked --profile "$profile" --manifest-path "$src/Cargo.toml" >&2
  dir=$([ "$profile" = dev ] && echo debug || echo "$profile")
  cp "$CARGO_TARGET_DIR/$dir/hotdesk" "$work/hotdesk-$label"
  echo "$work/hotdesk-$label"
}

describe() {
  local short
  if [ "$1" = . ]; then echo "the working tree"; return; fi
  short=$(git -C "$repo" rev-parse --short "$1^{commit}")
  case "$short" in "$1"*) echo "$short" ;; *) echo "$1 ($short)" ;; esac
}

src_base=$(source_of "$base")
src_head=$(source_of "$head")
bin_base=$(binary_of "$src_base" base)
bin_head=$(binary_of "$src_head" head)

# One generated directory for both binaries, from the newer side's generator.
sites=(example)
if [ "$spaces" -gt 0 ]; then
  echo "== generating $spaces spaces with benches/gen_site.py" >&2
  python3 "$src_head/benches/gen_site.py" -n "$spaces" --out "$work/site-$spaces" >/dev/null
  sites+=("$spaces")
fi

status=0
for site in "${sites[@]}"; do
  for side in base head; do
    if [ "$site" = example ]; then
      root=$([ $side = base ] && echo "$src_base" || echo "$src_head")
    else
      root="$work/site-$site"
    fi
    bin=$([ $side = base ] && echo "$bin_base" || echo "$bin_head")
    "$bin" build --root "$root" --now "$now" --output "$work/out-$side/$site" >/dev/null 2>"$work/build-$side-$site.log" \
      || { echo "compare-builds: the $side build of $site failed:" >&2; cat "$work/build-$side-$site.log" >&2; exit 2; }
  done
  files=$(find "$work/out-head/$site" -type f | wc -l)
  if diff -r -q "$work/out-base/$site" "$work/out-head/$site" >"$work/diff-$site.txt"; then
    echo "identical  $site ($files files)"
  else
    echo "DIFFERENT  $site: $(wc -l <"$work/diff-$site.txt") files differ, e.g.:"
    head -n 5 "$work/diff-$site.txt" | sed -e "s|$work/||g" -e 's/^/    /'
    status=1
  fi
done

echo "base: $(describe "$base"), head: $(describe "$head"), --now $now"
if [ $status -ne 0 ]; then
  echo "the outputs differ (KEEP=1 keeps them to inspect)"
fi
exit $status
