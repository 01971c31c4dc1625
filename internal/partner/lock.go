package partner

import "gorm.io/gorm/clause"

func lockForUpdate() clause.Locking { return clause.Locking{Strength: "UPDATE"} }
