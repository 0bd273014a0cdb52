/* orgtree.h: the shape of the organisation tree (DESIGN.md §2). Pure rules, no I/O:
 * which kind of node may sit under which, and what a statistical code looks like. The same
 * rules are enforced by triggers in migrations/0003_registry_org.sql. */
#ifndef RX_ORGTREE_H
#define RX_ORGTREE_H

/* 1 when kind is one of city, district, street, community, venue. */
int rx_orgtree_kind_valid(const char *kind);
/* 1 when a node of child_kind may sit directly under a node of parent_kind (NULL = root):
 * city > district > street > community > venue; a community may hang directly under a
 * district; a venue under a district, street or community; only a city is a root. */
int rx_orgtree_child_allowed(const char *parent_kind, const char *child_kind);
/* 1 when code is a 12-digit statistical division code (ASCII digits only). */
int rx_orgtree_code_valid(const char *code);
/* Depth of a path '/1/5/9/' (3), or -1 when it is not such a path. */
int rx_orgtree_path_depth(const char *path);

#endif
