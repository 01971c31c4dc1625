// Package library is 支持 > 资料库 (seed 003 §14.1; build-plan 5.G; issue
// 14) and the vendor's 资料管理. It owns library_documents; the files
// themselves are the vendor's own rows of files (package files).
//
// Rules it holds:
//   - categories (§14.1.1): 政策, 权益, 营销, 产品, 解决方案, 其他.
//   - who sees it (§14.1.2, R79): partners that joined a programme or a
//     development path; each document may be limited to some programmes
//     or paths (empty: every member), so partners see different content.
//     Others read "加入合作伙伴计划或伙伴发展路径后可查看资料库" (inferred).
//   - search (§14.1.3): a fuzzy title search, a keyword search, and a
//     directory filter.
//   - downloads (§14.1.4): a document may be view-only (copyright,
//     sensitive content): it opens in the viewer and its download address
//     answers 404.
//   - 下架 (§14.1.5): a taken-down document disappears from the library
//     (its address answers 404); the vendor can put it back.
package library
