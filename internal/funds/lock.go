package funds

import "gorm.io/gorm/clause"

// lockingOf is a FOR UPDATE / FOR SHARE clause on one table of a join.
func lockingOf(strength, table string) clause.Locking {
	return clause.Locking{Strength: strength, Table: clause.Table{Name: table}}
}
