#!/usr/bin/env bash
# One Jest project (tier) without preparation: `npm run test:unit -- [paths] [-t name]`.
# The tier goes last: --selectProjects takes every argument after it as a project name.
set -euo pipefail
tier="$1"
shift
exec npx jest "$@" --selectProjects "$tier"
