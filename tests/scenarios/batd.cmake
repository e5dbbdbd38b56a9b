# batd end-to-end scenarios (network namespaces, needs root). Each script exits 77 when
# a tool is missing (reported as skipped). Helpers: batd_lib.sh,
# lib/netns.sh. Docs: docs/batd-testing.md.
set(batd_scenarios chain ring roam clouds wire frag garbage bigtt restart lossy anygw persist)
foreach(s ${batd_scenarios})
  lime_scenario(batd_${s} COMMAND bash ${PROJECT_SOURCE_DIR}/tests/scenarios/batd_${s}.sh TIMEOUT 120)
  if(TEST scenario_batd_${s})
    set_tests_properties(scenario_batd_${s} PROPERTIES SKIP_RETURN_CODE 77)
  endif()
endforeach()

# batd against the real kernel batman-adv in qemu (shared/tools/kernel-peer, ~25 s; TCG,
# no KVM needed). Skips (77) without qemu-system-x86 or kernel-peer.sh.
lime_scenario(batd_kernel_interop COMMAND bash ${PROJECT_SOURCE_DIR}/tests/interop/batd_kernel.sh TIMEOUT 180)
if(TEST scenario_batd_kernel_interop)
  set_tests_properties(scenario_batd_kernel_interop PROPERTIES SKIP_RETURN_CODE 77)
endif()
# kernel — batd — batd with a client behind batd and a 1400-byte kernel link (~35 s).
lime_scenario(batd_kernel_multihop COMMAND bash ${PROJECT_SOURCE_DIR}/tests/interop/batd_kernel_multihop.sh TIMEOUT 180)
if(TEST scenario_batd_kernel_multihop)
  set_tests_properties(scenario_batd_kernel_multihop PROPERTIES SKIP_RETURN_CODE 77)
endif()
# the kernel forwarding between two batd nodes that cannot hear each other (~25 s).
lime_scenario(batd_kernel_middle COMMAND bash ${PROJECT_SOURCE_DIR}/tests/interop/batd_kernel_middle.sh TIMEOUT 180)
if(TEST scenario_batd_kernel_middle)
  set_tests_properties(scenario_batd_kernel_middle PROPERTIES SKIP_RETURN_CODE 77)
endif()
# a client roaming between two batd nodes, seen from the kernel (~15 s).
lime_scenario(batd_kernel_roam COMMAND bash ${PROJECT_SOURCE_DIR}/tests/interop/batd_kernel_roam.sh TIMEOUT 180)
if(TEST scenario_batd_kernel_roam)
  set_tests_properties(scenario_batd_kernel_roam PROPERTIES SKIP_RETURN_CODE 77)
endif()
