#!/bin/bash
# Runs once, when the MySQL data volume is first created (docker-entrypoint-initdb.d).
# The image itself already created the segmentpress database and user from
# MYSQL_DATABASE / MYSQL_USER / MYSQL_PASSWORD; this adds WordPress's own database and
# user on the same server, so the two never share tables or credentials.
# Passwords are interpolated into SQL: keep them to letters, digits, '-' and '_'.
: "${WORDPRESS_DB_PASSWORD:?WORDPRESS_DB_PASSWORD must be set}"
MYSQL_PWD="${MYSQL_ROOT_PASSWORD}" mysql --protocol=socket -uroot <<SQL
CREATE DATABASE IF NOT EXISTS \`wordpress\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'wordpress'@'%' IDENTIFIED BY '${WORDPRESS_DB_PASSWORD}';
GRANT ALL PRIVILEGES ON \`wordpress\`.* TO 'wordpress'@'%';
SQL
