-- 0003_registry_org: placeholder so that the registry-people branch can number its migration
-- 0004 while the registry-org branch owns 0003. The lead replaces this file with the real one
-- when both branches are merged.
SELECT 1;
