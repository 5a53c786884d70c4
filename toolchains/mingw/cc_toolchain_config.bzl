"""A C++ toolchain for the mingw-w64 GCC 12 "-posix" cross compilers.

The -posix variants are required: with the win32 thread model std::mutex is
missing and protobuf does not compile (docs/windows-build.md). Abseil,
protobuf and GoogleTest come from a cross-built prefix that
tools/mingw_deps.sh keeps at /var/cache/iocpsim/mingw-deps.
"""

load(
    "@bazel_tools//tools/cpp:cc_toolchain_config_lib.bzl",
    "artifact_name_pattern",
    "feature",
    "flag_group",
    "flag_set",
    "tool_path",
)
load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "ACTION_NAMES")

_TRIPLE = "x86_64-w64-mingw32"
_GCC_LIB = "/usr/lib/gcc/x86_64-w64-mingw32/12-posix"
_DEPS = "/var/cache/iocpsim/mingw-deps"

_COMPILE = [
    ACTION_NAMES.assemble,
    ACTION_NAMES.preprocess_assemble,
    ACTION_NAMES.c_compile,
    ACTION_NAMES.cpp_compile,
    ACTION_NAMES.cpp_header_parsing,
    ACTION_NAMES.cpp_module_compile,
]

_LINK = [
    ACTION_NAMES.cpp_link_executable,
    ACTION_NAMES.cpp_link_dynamic_library,
    ACTION_NAMES.cpp_link_nodeps_dynamic_library,
]

def _flags(actions, flags):
    return flag_set(actions = actions, flag_groups = [flag_group(flags = flags)])

def _impl(ctx):
    tools = {
        "ar": "ar",
        "cpp": "cpp-posix",
        "gcc": "gcc-posix",
        "gcov": "gcov-posix",
        "ld": "ld",
        "nm": "nm",
        "objcopy": "objcopy",
        "objdump": "objdump",
        "strip": "strip",
    }
    tool_paths = [
        tool_path(name = name, path = "/usr/bin/%s-%s" % (_TRIPLE, tool))
        for name, tool in tools.items()
    ]
    features = [
        feature(
            name = "default_compile_flags",
            enabled = True,
            flag_sets = [
                _flags(_COMPILE, [
                    "-isystem",
                    _DEPS + "/include",
                    # Windows 8+ APIs (GetQueuedCompletionStatusEx is Vista+).
                    "-D_WIN32_WINNT=0x0A00",
                    "-DWIN32_LEAN_AND_MEAN",
                    "-DNOMINMAX",
                ]),
                _flags([ACTION_NAMES.cpp_compile, ACTION_NAMES.cpp_header_parsing], ["-std=c++17"]),
            ],
        ),
        feature(
            name = "default_link_flags",
            enabled = True,
            flag_sets = [_flags(_LINK, [
                # One self-contained .exe: no libstdc++/winpthread DLLs to ship.
                "-static",
                "-L" + _DEPS + "/lib",
            ])],
        ),
        feature(
            name = "opt",
            flag_sets = [_flags(_COMPILE, ["-O2", "-DNDEBUG"])],
        ),
        feature(
            name = "dbg",
            flag_sets = [_flags(_COMPILE, ["-g"])],
        ),
        feature(name = "supports_pic", enabled = False),
        # Last, so these come after every library on the link line (a static
        # link resolves left to right); gcc, unlike g++, adds no libstdc++.
        feature(
            name = "default_link_libs",
            enabled = True,
            flag_sets = [_flags(_LINK, ["-lstdc++", "-lws2_32"])],
        ),
    ]
    return cc_common.create_cc_toolchain_config_info(
        ctx = ctx,
        toolchain_identifier = "mingw-w64-x86_64-posix",
        host_system_name = "x86_64-unknown-linux-gnu",
        target_system_name = _TRIPLE,
        target_cpu = "x64_windows",
        target_libc = "msvcrt",
        compiler = "mingw-gcc",
        abi_version = "gcc-12",
        abi_libc_version = "msvcrt",
        tool_paths = tool_paths,
        features = features,
        artifact_name_patterns = [
            artifact_name_pattern(category_name = "executable", prefix = "", extension = ".exe"),
        ],
        cxx_builtin_include_directories = [
            _GCC_LIB + "/include/c++",
            _GCC_LIB + "/include/c++/" + _TRIPLE,
            _GCC_LIB + "/include/c++/backward",
            _GCC_LIB + "/include",
            _GCC_LIB + "/include-fixed",
            # GCC reaches it through "..", which Bazel rejects as not
            # normalized: name the folder itself.
            "/usr/" + _TRIPLE + "/include",
            # ... a link to this folder (Debian's mingw-w64-common).
            "/usr/share/mingw-w64/include",
            # The stamped prefix _DEPS links to.
            "/var/cache/iocpsim",
        ],
    )

mingw_cc_toolchain_config = rule(
    implementation = _impl,
    attrs = {},
    provides = [CcToolchainConfigInfo],
)
