package gate

// Record records a use of document h in m, for the external benchmarks.
func (m *Memory) Record(h uint64, secs uint32, gate, port int, failed bool) {
	m.replay(h, packUse(secs, gate, port, false, !failed, failed))
}
