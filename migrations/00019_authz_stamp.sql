-- +goose Up
-- A signed-in user's authorization stamp: it changes whenever anything a
-- request's principal is computed from changes — the user's row (status,
-- language, main account, vendor role), its partner's row (status, name),
-- the partner's program identities, the user's roles and their items. The
-- session is loaded together with it (one query per request), and the
-- server reuses the principal it computed while the stamp is the same:
-- disabling a member, changing its roles or a role's items takes effect
-- on the very next request, on every server.
--
-- Rows are compared by xmin (it changes on every update of the row); sets
-- (roles, items, identities) by their content, so a deletion counts too.
-- +goose StatementBegin
CREATE FUNCTION session_authz_stamp(uid bigint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT md5(concat_ws('/', u.xmin::text, p.xmin::text,
        (SELECT string_agg(ur.role_id::text || '=' || r.xmin::text || ':' ||
                           coalesce((SELECT string_agg(ri.item, ',' ORDER BY ri.item) FROM role_items ri WHERE ri.role_id = ur.role_id), ''),
                           ';' ORDER BY ur.role_id)
         FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id),
        (SELECT string_agg(pi.identity, ',' ORDER BY pi.identity) FROM partner_identities pi WHERE pi.partner_id = u.partner_id)))
    FROM users u LEFT JOIN partners p ON p.id = u.partner_id
    WHERE u.id = uid
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION session_authz_stamp(bigint);
