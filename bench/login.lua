-- wrk script: signs in the demo director over and over (each a real
-- Argon2id verification on the server's task threads).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"director@demo.test","password":"fellowship-demo-2026"}'
