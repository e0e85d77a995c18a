#!/usr/bin/env python3
"""Checks that the tree's dependencies point one way.

    tools -> services -> engine / store -> common -> proto

Every library is a directory with a rank (LAYERS). A file may include a
project header of its own directory's library, or a public header
(PUBLIC) of a library of lower rank; libraries of equal rank (the engine
and the store, the two services, the CLI and the bench tools) use nothing
of each other, except in tests (*_test.cc, *_test_util.h, *_test
targets): the store's tests keep cards the engine scored. Every jixiao_* library may link only jixiao_* libraries of
lower rank. Run by ctest as `layering`; prints every breach.

    tests/layering_test.py [REPOSITORY_ROOT]
"""

import os
import re
import subprocess
import sys

# Directory -> rank. A file belongs to the longest directory that holds it.
LAYERS = {
    "proto": 0,
    "common/base": 1,
    "common/report": 2,
    "common/auth": 3,
    "common/rpc": 4,
    "scoring-svc/engine": 5,
    "storage-svc/store": 5,
    "scoring-svc/server": 6,
    "storage-svc/server": 6,
    "tools/render": 7,
    "tools/form": 7,
    "tools/extract": 8,
    "tools/jixiao": 9,
    "tools/bench": 9,
    "tests": 10,
}

# The headers other libraries may include; "*" for every header of the
# directory. A library not listed exports nothing.
PUBLIC = {
    "common/base": "*",
    "common/report": "*",
    "common/auth": "*",
    "common/rpc": "*",
    "scoring-svc/engine": ["engine.h"],
    # GroupCommit is public for bench-echo-svc, which sets it against other
    # ways of sharing syncs.
    "storage-svc/store": ["store.h", "group_commit.h"],
    "scoring-svc/server": ["scheme_registry.h", "scoring_service.h"],
    "storage-svc/server": ["storage_service.h"],
    "tools/render": ["render.h"],
    "tools/form": ["workbook.h", "report_paths.h"],
    "tools/extract": ["convert.h", "document.h", "extract.h", "rules.h"],
    "tools/bench": ["latency.h", "report_generator.h"],
}

# Fuzz targets exercise a library's internals directly.
INTERNALS_ALLOWED = {
    "tests/fuzz": ["scoring-svc/engine/formula.h", "storage-svc/store/page_tokens.h"],
}


def is_test(path):
    return path.endswith(("_test.cc", "_test_util.h"))


def library_of(path):
    best = None
    for directory in LAYERS:
        if path.startswith(directory + "/") and (best is None or len(directory) > len(best)):
            best = directory
    return best


def include_breaches(root, files):
    breaches = []
    include = re.compile(r'^#include "([^"]+)"', re.M)
    for path in files:
        with open(os.path.join(root, path), encoding="utf-8") as f:
            text = f.read()
        user = library_of(path)
        for match in include.finditer(text):
            header = match.group(1)
            if not os.path.exists(os.path.join(root, header)):
                if "/" not in header:
                    breaches.append(f"{path}: #include \"{header}\" is not a path from the "
                                    "repository root")
                continue  # a generated or system header
            used = library_of(header)
            if used is None or used == user:
                continue
            if user is None:
                breaches.append(f"{path}: not in any library of tests/layering_test.py")
                continue
            if LAYERS[used] > LAYERS[user] or (LAYERS[used] == LAYERS[user] and
                                               not is_test(path)):
                breaches.append(f"{path}: includes {header}, but {user} (rank {LAYERS[user]}) "
                                f"may not use {used} (rank {LAYERS[used]})")
                continue
            exported = PUBLIC.get(used, [])
            allowed = INTERNALS_ALLOWED.get(os.path.dirname(path), [])
            if exported != "*" and os.path.basename(header) not in exported and header not in allowed:
                breaches.append(f"{path}: includes {header}, internal to {used} "
                                f"(its public headers: {', '.join(exported) or 'none'})")
    return breaches


def link_breaches(root):
    """Every jixiao_* library a target links must be of lower rank. A target
    belongs to the library of its first source file."""
    breaches = []
    owner = {}  # target -> library
    links = []  # (CMakeLists.txt, target, linked)
    for directory, _, names in os.walk(root):
        relative = os.path.relpath(directory, root)
        if "CMakeLists.txt" not in names or relative.startswith(("build", ".")):
            continue
        cmake = os.path.join(relative, "CMakeLists.txt")
        with open(os.path.join(root, cmake), encoding="utf-8") as f:
            text = f.read()
        for match in re.finditer(r"add_(?:library|executable)\((\w[\w-]*)([^)]*)\)", text):
            sources = [word for word in match.group(2).split() if word.endswith(".cc")]
            if sources and not sources[0].startswith("$"):
                owner[match.group(1)] = library_of(os.path.normpath(
                    os.path.join(relative, sources[0])))
        for match in re.finditer(r"target_link_libraries\((\w[\w-]*)([^)]*)\)", text):
            for linked in re.findall(r"\bjixiao_\w+", match.group(2)):
                links.append((cmake, match.group(1), linked))
    for cmake, target, linked in links:
        user, used = owner.get(target), owner.get(linked)
        if user is None or used is None or user == used:
            continue
        if LAYERS[used] > LAYERS[user] or (LAYERS[used] == LAYERS[user] and
                                           not target.endswith("_test")):
            breaches.append(f"{cmake}: {target} links {linked}, but {user} "
                            f"(rank {LAYERS[user]}) may not use {used} (rank {LAYERS[used]})")
    return breaches


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), ".."))
    files = subprocess.run(["git", "-C", root, "ls-files", "-co", "--exclude-standard",
                            "*.cc", "*.h", "*.cc.in"],
                           check=True, capture_output=True, text=True).stdout.split()
    if not files:
        print("no sources found under", root)
        return 1
    breaches = include_breaches(root, files) + link_breaches(root)
    for breach in breaches:
        print(breach)
    print(f"{len(files)} files checked, {len(breaches)} breaches")
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
