/* seed.h: first-start data: the demo city (with the article's people, Party branches and teams)
 * and the administrator account. */
#ifndef RX_SEED_H
#define RX_SEED_H
#include <stdint.h>

struct rx_db;

/* Runs inside a write job. When the database has no org units yet, creates the demo tree
 * and user `admin` (city_admin over the city) with the given argon2id hash, and sets
 * *created = 1. Does nothing (and *created = 0) on a database that has data. */
int rx_seed_first_start(struct rx_db *db, int64_t now, const char *admin_hash, int *created);

#endif
