"""The SPOC's validator (`ctkit validate`): read returned applications and judge them by the guidance in force."""
