// Entangle two qubits, measure the first, flip the second when it read 1 (feed-forward), then
// reset the first (measure, and an X if it read 1) and measure the second.
OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
bit[2] c;
h q[0];
cx q[0], q[1];
c[0] = measure q[0];
if (c[0] == 1) x q[1];
reset q[0];
c[1] = measure q[1];
