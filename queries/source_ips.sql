-- source_ips: the addresses the accounting logs show deliveries leaving from (dlvSourceIp), the
-- sender's own IPs, with the first and last delivery from each (UTC epoch seconds).
SELECT ip, first_seen, last_seen FROM source_ips ORDER BY ip
