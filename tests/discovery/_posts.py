"""Hand-written English and Korean posts shared by the content and semantic search tests."""

POSTS = """\
platform,handle,followers,country,post_id,posted_at,caption,likes,comments,views
instagram,seoul_eats,20000,KR,k1,2025-01-05 10:00:00,어제 간 맛집에서 떡볶이 먹었어요 #서울맛집 #먹스타그램,900,20,5000
instagram,seoul_eats,20000,KR,k2,2025-01-06 10:00:00,오늘의 디저트 #카페투어,300,4,2000
instagram,seoul_glow,15000,KR,k3,2025-01-05 10:00:00,순한 토너 후기 #비건스킨케어,800,10,4000
instagram,la_glow,30000,US,u1,2025-01-05 10:00:00,My vegan skincare routine #veganskincare,1000,30,6000
instagram,la_glow,30000,US,u2,2025-01-07 10:00:00,Serum review,1000,30,6000
instagram,la_food,25000,US,u3,2025-01-05 10:00:00,Best tacos in LA #foodie,500,9,3000
"""

MORE = """\
platform,handle,followers,country,post_id,posted_at,caption,likes,comments,views
instagram,la_food,25000,US,u4,2025-01-09 10:00:00,Vegan tacos tonight #vegan,500,9,3000
"""
